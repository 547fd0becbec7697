/**
 * Implementation detail of the relay: the sans-I/O client registry (id assignment, nickname rules,
 * lookups). Not exported; no Netty types.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.internal.relay;
