package io.labeledapps.operator.client;

import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * The limits Jackson's parser applies to what the operator reads from the API server, chosen so
 * that every object the API server can store can be read. A limit below that is not a protection
 * but a way to stop the operator: Jackson's default name limit (50,000 characters) refuses a pod
 * whose {@code managedFields} record an env var name of 60,000 characters, and the informer that
 * lists it fails as a whole.
 *
 * <p>What the API server can store bounds what it sends: a request body is at most 3 MiB ({@code
 * MaxRequestBodyBytes} of the generic API server) and etcd refuses values over 1.5 MiB by default
 * ({@code --max-request-bytes}). A single JSON name or string in an object is shorter than the
 * object. Kubernetes writes numbers from Go's int64 and float64 (at most 24 characters), and its
 * JSON decoder refuses an object nested 10,000 levels deep (measured on 1.20: a custom resource
 * with 9,999 levels inside it is stored, one more is refused with "exceeded max depth").
 *
 * <table>
 *   <caption>Limits per parse</caption>
 *   <tr><th>Limit</th><th>Value</th><th>Jackson's default</th><th>Why</th></tr>
 *   <tr><td>name length</td><td>16 MiB</td><td>50,000</td><td>above any object a server stores, with room
 *       for a cluster whose etcd limit was raised</td></tr>
 *   <tr><td>string length</td><td>16 MiB</td><td>20,000,000</td><td>the same bound</td></tr>
 *   <tr><td>number length</td><td>1,000</td><td>1,000</td><td>Kubernetes never writes more than 24 characters</td></tr>
 *   <tr><td>nesting depth</td><td>10,100</td><td>1,000</td><td>the deepest object the API server stores (under
 *       10,000 levels) plus the levels of a list or watch event around it</td></tr>
 *   <tr><td>document length, token count</td><td>unlimited</td><td>unlimited</td><td>a list response grows
 *       with the number of objects, which no per-object bound limits</td></tr>
 * </table>
 */
public final class ReadLimits {
  /** Longest JSON name (e.g. a label key, or a managedFields key naming an env var) read. */
  public static final int MAX_NAME_LENGTH = 16 * 1024 * 1024;

  /** Longest JSON string value read. */
  public static final int MAX_STRING_LENGTH = 16 * 1024 * 1024;

  /** Longest JSON number read, in characters. */
  public static final int MAX_NUMBER_LENGTH = 1_000;

  /** Deepest nesting of JSON objects and arrays read. */
  public static final int MAX_NESTING_DEPTH = 10_100;

  private ReadLimits() {}

  /** The constraints for the operator's JSON factory. */
  public static StreamReadConstraints constraints() {
    return StreamReadConstraints.builder()
        .maxNameLength(MAX_NAME_LENGTH)
        .maxStringLength(MAX_STRING_LENGTH)
        .maxNumberLength(MAX_NUMBER_LENGTH)
        .maxNestingDepth(MAX_NESTING_DEPTH)
        .maxDocumentLength(-1)
        .maxTokenCount(-1)
        .build();
  }
}
