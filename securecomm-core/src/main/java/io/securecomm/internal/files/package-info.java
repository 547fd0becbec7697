/** Owner-only files for keys, pins and end-to-end state. Internal: not exported. */
package io.securecomm.internal.files;
