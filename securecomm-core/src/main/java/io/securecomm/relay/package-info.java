/**
 * The relay server API: configuration, lifecycle and limits. The relay forwards what clients send; after the end-to-end
 * layer it cannot read user content.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.relay;
