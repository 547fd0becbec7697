/**
 * Fixtures that the tests of several modules share (not published): {@link io.securecomm.testing.Eventually}, a
 * bounded wait for a state that other threads reach in their own time. Parameters are non-null unless documented
 * otherwise.
 */
package io.securecomm.testing;
