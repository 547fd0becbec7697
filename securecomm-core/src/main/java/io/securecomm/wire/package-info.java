/**
 * Wire protocol v1: the sans-I/O frame codec (2-byte length prefix) and the typed messages carried inside encrypted transport records. See docs/PROTOCOL.md.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.wire;
