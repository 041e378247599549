package io.labeledapps.operator.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short hash of a pod template. Map entries are sorted first, so re-applying the same labels in
 * another order does not roll the pods.
 */
public final class TemplateHash {
  public static final String ANNOTATION = "labeledapps.io/template-hash";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private TemplateHash() {}

  /** Hex SHA-256 prefix of the canonical JSON of {@code template}. */
  public static String of(Object template) {
    try {
      // through a tree, so that maps nested in model objects are sorted too
      Object canonical = MAPPER.treeToValue(MAPPER.valueToTree(template), Object.class);
      byte[] json = MAPPER.writeValueAsBytes(canonical);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(digest, 0, 5);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash pod template", e);
    }
  }
}
