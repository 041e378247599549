package io.labeledapps.operator;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The mock API server ignores {@code dryRun=All} and would store the pod the operator only asks
 * about; these expectations answer the dry-run create of a pod as a real server accepting it does
 * (the pod back, nothing stored), or refuse it with a given status.
 */
public final class MockDryRun {
  private MockDryRun() {}

  /**
   * Every dry-run pod and Service create in {@code namespace} is accepted; returns how many pod
   * creates there were. (A dry-run update of a Service is stored by the mock, with what the real
   * update writes next.)
   */
  public static AtomicInteger accept(KubernetesMockServer server, String namespace) {
    AtomicInteger count =
        answerPodCreates(server, namespace, 201, request -> request.getBody().readUtf8());
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + namespace + "/services?dryRun=All")
        .andReply(201, request -> request.getBody().readUtf8())
        .always();
    return count;
  }

  /**
   * Every dry-run pod create in {@code namespace} is refused with {@code code} and {@code message};
   * returns how many.
   */
  public static AtomicInteger refuse(
      KubernetesMockServer server, String namespace, int code, String reason, String message) {
    Status status =
        new StatusBuilder()
            .withCode(code)
            .withStatus("Failure")
            .withReason(reason)
            .withMessage(message)
            .build();
    return answerPodCreates(server, namespace, code, request -> status);
  }

  /**
   * Every dry-run pod create in {@code namespace} is answered {@code code}, {@code body}; counted.
   */
  private static AtomicInteger answerPodCreates(
      KubernetesMockServer server,
      String namespace,
      int code,
      Function<RecordedRequest, Object> body) {
    AtomicInteger count = new AtomicInteger();
    server
        .expect()
        .post()
        .withPath(path(namespace))
        .andReply(
            code,
            request -> {
              count.incrementAndGet();
              return body.apply(request);
            })
        .always();
    return count;
  }

  private static String path(String namespace) {
    return "/api/v1/namespaces/" + namespace + "/pods?dryRun=All";
  }
}
