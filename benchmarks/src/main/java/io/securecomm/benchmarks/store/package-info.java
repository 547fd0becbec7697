/**
 * Throughput of the relay stores: messages stored and drained per second through the SQLite store (group
 * commit), the in-memory store, and a naive SQLite loop with one transaction per message, in one run.
 */
package io.securecomm.benchmarks.store;
