# syntax=docker/dockerfile:1
# Build: make image (docker) or make minikube-image (builds inside minikube, no registry needed).

FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /build
# Dependencies first, in their own layer, so a source change does not download them again.
# go-offline is only a cache warmer: the package step below is what must succeed.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline || true
COPY src/ src/
RUN mvn -B package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /build/target/lib/ /app/lib/
COPY --from=build /build/target/labeledappset-operator.jar /app/labeledappset-operator.jar
# Numeric, so that runAsNonRoot can verify it without an /etc/passwd entry.
USER 65532:65532
EXPOSE 8080
# The JVM sizes its heap from the container's memory limit; the serial GC suits one small heap and 1-2 CPUs.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/labeledappset-operator.jar"]
