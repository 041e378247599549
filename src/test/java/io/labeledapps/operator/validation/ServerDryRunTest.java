package io.labeledapps.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerDryRunTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "422| Pod \"a-0\" is invalid: spec.containers[0].resources.requests: Invalid value: \"2\"| InvalidSpec",
        "400| the body of the request was in an unknown format| InvalidSpec",
        "403| pods \"a-0\" is forbidden: exceeded quota: compute, requested: cpu=2| QuotaExceeded",
        "403| pods \"a-0\" is forbidden: failed quota: compute: must specify limits.cpu| QuotaExceeded",
        "403| pods \"a-0\" is forbidden: maximum cpu usage per Container is 500m, but limit is 1| AdmissionRefused",
        "403| pods \"a-0\" is forbidden: violates PodSecurity \"restricted:latest\"| AdmissionRefused",
        "400| admission webhook \"deny.example.com\" denied the request: no| AdmissionRefused",
        "404| namespaces \"gone\" not found| AdmissionRefused"
      })
  void aRefusalKeepsTheServersMessageUnderAReasonOfItsKind(
      int code, String message, String reason) {
    ServerDryRun.Refusal refusal = ServerDryRun.refusal("pod", code, message);
    assertEquals(reason, refusal.reason());
    assertTrue(refusal.message().endsWith(message), refusal.message());
  }
}
