# syntax=docker/dockerfile:1
# The operator's image: make image (docker), or make minikube-image (builds inside minikube, no registry).
#
# Stage 1 builds the jar with Maven; stage 2 is a JRE 17 on a distroless base: no shell, no package
# manager, nothing but the JRE, CA certificates and time zone data. Override the bases with
# --build-arg BUILD_IMAGE=... / RUNTIME_IMAGE=... (a mirror, a pinned digest).
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=gcr.io/distroless/java17-debian12:nonroot

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
# Dependencies first, in their own layer, so a source change does not download them again.
# go-offline is only a cache warmer: the package step below is what must succeed.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline || true
COPY src/ src/
# skipUTs: the pom binds surefire's skipTests to it, so -DskipTests alone would still run the tests
RUN mvn -B -q package -DskipTests -DskipUTs=true

FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="labeledappset-operator" \
      org.opencontainers.image.description="Kubernetes operator for LabeledAppSets: labeled pods plus their Service"
WORKDIR /app
# The jar's manifest puts lib/*.jar on its class path.
COPY --from=build /build/target/lib/ /app/lib/
COPY --from=build /build/target/labeledappset-operator.jar /app/labeledappset-operator.jar
# Numeric, so that the kubelet can check runAsNonRoot without reading /etc/passwd
# (65532 is the distroless "nonroot" user; deploy/ runs the pod as the same UID).
USER 65532:65532
EXPOSE 8080
# Exec form: no shell at run time (the runtime image has none). The JVM follows the container's
# cgroup limits: heap = 75% of the memory limit; the serial GC suits one small heap on 1-2 CPUs;
# exit on OutOfMemoryError so that Kubernetes restarts the pod instead of leaving a broken JVM;
# no hsperfdata file, as the root filesystem is read-only. Add flags through JAVA_TOOL_OPTIONS.
ENTRYPOINT ["/usr/bin/java", \
  "-XX:MaxRAMPercentage=75", "-XX:InitialRAMPercentage=25", "-XX:+UseSerialGC", \
  "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", \
  "-jar", "/app/labeledappset-operator.jar"]
