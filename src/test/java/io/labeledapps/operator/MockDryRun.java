package io.labeledapps.operator;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/**
 * The mock API server ignores {@code dryRun=All} and would store the pod the operator only asks
 * about; these expectations answer the dry-run create of a pod as a real server accepting it does
 * (the pod back, nothing stored), or refuse it with a given status.
 */
public final class MockDryRun {
  private MockDryRun() {}

  /** Every dry-run pod create in {@code namespace} is accepted. */
  public static void accept(KubernetesMockServer server, String namespace) {
    server.expect().post().withPath(path(namespace))
        .andReply(201, request -> request.getBody().readUtf8()).always();
  }

  /** Every dry-run pod create in {@code namespace} is refused with {@code code} and {@code message}. */
  public static void refuse(KubernetesMockServer server, String namespace, int code, String reason, String message) {
    server.expect().post().withPath(path(namespace))
        .andReturn(code, new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(code).withStatus("Failure")
            .withReason(reason).withMessage(message).build())
        .always();
  }

  private static String path(String namespace) {
    return "/api/v1/namespaces/" + namespace + "/pods?dryRun=All";
  }
}
