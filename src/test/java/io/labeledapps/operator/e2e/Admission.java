package io.labeledapps.operator.e2e;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.validation.BoundaryCases;
import io.labeledapps.operator.validation.Corpus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What an API server's admission (schema, CEL) answers to a set, asked with a server-side dry run:
 * nothing is stored, so the same names can be asked again. The set goes as JSON exactly as given (a
 * typed client could not carry a wrong type or a 60,000-character key).
 */
final class Admission {
  private Admission() {}

  /** The answer: HTTP 201 for admitted, else the status message (422 for a refusal). */
  record Answer(int code, String message) {
    boolean admitted() {
      return code == 201;
    }
  }

  /** One set, what must become of it, and where it went wrong if it did. */
  record Verdict(String name, Corpus.Expect expect, List<String> paths, List<String> cel) {}

  static Answer dryRunCreate(KubernetesClient client, String namespace, Map<String, Object> set) {
    HttpResponse<String> response = post(client, namespace, set, "?dryRun=All");
    if (response.code() == 201) {
      return new Answer(201, "");
    }
    String message;
    try {
      message = Serialization.unmarshal(response.body(), Status.class).getMessage();
    } catch (RuntimeException e) {
      message = response.body();
    }
    return new Answer(response.code(), message == null ? response.body() : message);
  }

  /**
   * POSTs {@code set} as JSON exactly as given (a typed client could not carry a wrong type or enum
   * value, and fabric8's untyped one turns an empty string into null) to the set collection of
   * {@code namespace}, with {@code query} (empty, or {@code ?dryRun=All}) after it.
   */
  static HttpResponse<String> post(
      KubernetesClient client, String namespace, Map<String, Object> set, String query) {
    String url =
        client.getMasterUrl()
            + "apis/"
            + LabeledAppSet.GROUP
            + "/"
            + LabeledAppSet.VERSION
            + "/namespaces/"
            + namespace
            + "/labeledappsets"
            + query;
    HttpClient http = client.getHttpClient();
    try {
      return http.sendAsync(
              http.newHttpRequestBuilder()
                  .uri(url)
                  .post("application/json", Serialization.jsonMapper().writeValueAsString(set))
                  .build(),
              String.class)
          .get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(set.get("metadata") + ": " + e, e);
    } catch (Exception e) {
      throw new AssertionError(set.get("metadata") + ": " + e, e);
    }
  }

  /**
   * What is wrong with {@code answer} to a set that must be refused: not a 422, or, for a set the
   * schema refuses, a field path of the verdict that the refusal does not name. Empty when right.
   */
  static List<String> refusalFaults(Verdict v, Answer answer) {
    if (answer.code() != 422) {
      return List.of(
          v.name() + ": expected 422, got " + answer.code() + " " + brief(answer.message()));
    }
    return v.expect() == Corpus.Expect.SCHEMA ? unnamedPaths(v, answer) : List.of();
  }

  private static List<String> unnamedPaths(Verdict v, Answer answer) {
    return v.paths().stream()
        .filter(p -> !names(answer.message(), p))
        .map(p -> v.name() + ": the refusal does not name " + p + ": " + brief(answer.message()))
        .toList();
  }

  /**
   * Whether {@code message} names the field at {@code path} (written as the corpus writes it,
   * {@code spec.containers[0].resources.limits[memory]}): servers write indices and map keys
   * differently, so both are compared without indices and with keys after a dot.
   */
  static boolean names(String message, String path) {
    return flat(message).contains(flat(path));
  }

  private static String flat(String path) {
    return path.replaceAll("\\[[0-9]+\\]", "").replaceAll("\\[([^\\]]+)\\]", ".$1");
  }

  /** A message shortened for a failure report: some sets carry 300 KiB. */
  static String brief(String message) {
    return message.length() <= 600
        ? message
        : message.substring(0, 600) + "... (" + message.length() + " chars)";
  }

  /**
   * The corpus's malformed and admission cases, and the generated boundary cases, as sets to ask
   * about.
   */
  static List<Map.Entry<Verdict, Map<String, Object>>> refusedSets() {
    List<Map.Entry<Verdict, Map<String, Object>>> sets = new ArrayList<>();
    List<Corpus.Case> files = new ArrayList<>(Corpus.malformed());
    files.addAll(Corpus.admission());
    for (Corpus.Case c : files) {
      sets.add(Map.entry(new Verdict(c.toString(), c.expect(), c.paths(), c.cel()), c.object()));
    }
    for (BoundaryCases.Case c : BoundaryCases.all()) {
      sets.add(
          Map.entry(
              new Verdict(
                  c.name(),
                  c.expect(),
                  List.of(c.path()),
                  c.cel() == null ? List.of() : List.of(c.cel())),
              c.object()));
    }
    return sets;
  }
}
