/**
 * JMH suites and the relay load harness for securecomm. Nothing here is part of the library's API, and nothing
 * here runs in the test suite: {@code docs/BENCHMARKS.md} says how to run them and shows recorded results.
 *
 * <p>Every suite measures the library side by side with its baseline (a copy, the JCA, the JDK's TLS 1.3
 * {@code SSLEngine}) in the same run, so results can be read as ratios.
 */
package io.securecomm.benchmarks;
