/**
 * The root of securecomm: the checked exception every package's peer-caused failures extend.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm;
