/**
 * The conformance suite of {@link io.securecomm.relay.store.RelayStore}: extend
 * {@link io.securecomm.relay.store.tck.RelayStoreConformanceTest} in an implementation's tests and say how to
 * open a fresh store; every rule of the interface is then checked against it (accounts, pre-keys, queued
 * messages, bounds, expiry with an injected clock, concurrency, closing).
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.relay.store.tck;
