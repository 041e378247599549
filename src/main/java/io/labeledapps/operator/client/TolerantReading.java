package io.labeledapps.operator.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetSpec;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.api.ReadingProblem;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the API server sends one object at a time, so that one object the Java types cannot
 * hold (an integer above int32 stored before the schema had a maximum, a string where a number
 * belongs) no longer fails a whole list or watch, which would stop the informer and with it the
 * operator.
 *
 * <ul>
 *   <li>A LabeledAppSet that cannot be read becomes a stand-in: its stored metadata, its status
 *       when that can be read, an empty spec and the {@link ReadingProblem} with the path of the
 *       offending field. The reconciler reports it as {@code InvalidSpec} and changes nothing.
 *   <li>Any other object in a list (pods, Services, endpoints, namespaces, quotas) that cannot be
 *       read is left out of the list, logged and handed to the listener.
 *   <li>A watch event whose object cannot be read is turned into what leaves the cache without it:
 *       an {@code ADDED} into a {@code BOOKMARK} (the informer moves on to its resourceVersion), a
 *       {@code MODIFIED} or {@code DELETED} into a {@code DELETED} of its metadata.
 * </ul>
 *
 * Each object is copied into a token buffer before it is bound, so a failure leaves the stream
 * where the next object starts. Parser limits ({@link ReadLimits}) are not handled here: they fail
 * the stream itself, so they are set high enough for anything the API server stores.
 */
public final class TolerantReading extends SimpleModule {
  private static final Logger log = LoggerFactory.getLogger(TolerantReading.class);
  private static final int SHOWN = 60;
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** An object that could not be read and was left out of a list or a watch. */
  public record Skipped(String kind, String namespace, String name, String problem) {}

  private final transient Consumer<Skipped> onSkipped;

  /**
   * @param onSkipped told of every object left out (e.g. to count it)
   */
  public TolerantReading(Consumer<Skipped> onSkipped) {
    super("labeledapps-tolerant-reading");
    this.onSkipped = onSkipped;
    setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public JsonDeserializer<?> modifyDeserializer(
              DeserializationConfig config,
              BeanDescription desc,
              JsonDeserializer<?> deserializer) {
            if (desc.getBeanClass() == LabeledAppSet.class) {
              // a LabeledAppSet that cannot be bound becomes a stand-in carrying the reason
              return oneObjectAtATime(deserializer, TolerantReading::standIn);
            }
            if (desc.getBeanClass() == WatchEvent.class) {
              return oneObjectAtATime(deserializer, TolerantReading.this::skipEvent);
            }
            return deserializer;
          }

          @Override
          public JsonDeserializer<?> modifyCollectionDeserializer(
              DeserializationConfig config,
              CollectionType type,
              BeanDescription desc,
              JsonDeserializer<?> deserializer) {
            Class<?> item = type.getContentType().getRawClass();
            if (HasMetadata.class.isAssignableFrom(item)
                && !item.isInterface()
                && !Modifier.isAbstract(item.getModifiers())
                && type.getRawClass().isAssignableFrom(ArrayList.class)) {
              return skipUnreadableItems(deserializer, type.getContentType());
            }
            return deserializer;
          }
        });
  }

  /**
   * @param depth how many levels above {@code object} the exception's path starts (1 in a watch
   *     event)
   */
  private void skipped(JsonNode object, String fallbackKind, Exception cause, int depth) {
    JsonNode meta = object.path("metadata");
    ReadingProblem problem = describe("", object, cause, depth);
    Skipped skipped =
        new Skipped(
            object.path("kind").asText(fallbackKind),
            meta.path("namespace").asText(""),
            meta.path("name").asText(""),
            problem.toString());
    log.warn(
        "Skipped {} {}/{} (resourceVersion {}): it cannot be read: {}",
        skipped.kind(),
        skipped.namespace(),
        skipped.name(),
        meta.path("resourceVersion").asText(),
        skipped.problem());
    onSkipped.accept(skipped);
  }

  /** What stands for an object that cannot be bound, from its tree and the failure. */
  @FunctionalInterface
  private interface Unreadable {
    Object of(DeserializationContext ctxt, JsonNode object, Exception cause) throws IOException;
  }

  /** How a {@link Tolerant} deserializer reads a value it takes over; {@code usual} as before. */
  @FunctionalInterface
  private interface Reading {
    Object read(JsonParser p, DeserializationContext ctxt, JsonDeserializer<?> usual)
        throws IOException;
  }

  /**
   * Reads the values {@code takes} accepts (an object, a list) with {@code reading}, which
   * tolerates what cannot be bound; any other value (a null) as the usual deserializer would.
   */
  private static final class Tolerant extends DelegatingDeserializer {
    private final Predicate<JsonParser> takes;
    private final Reading reading;

    Tolerant(JsonDeserializer<?> usual, Predicate<JsonParser> takes, Reading reading) {
      super(usual);
      this.takes = takes;
      this.reading = reading;
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> usual) {
      return new Tolerant(usual, takes, reading);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return takes.test(p) ? reading.read(p, ctxt, _delegatee) : super.deserialize(p, ctxt);
    }
  }

  /**
   * Binds one object from a copy of its tokens, so that a failure leaves the stream after it, and
   * hands what cannot be bound to {@code unreadable} as a tree.
   */
  private static Tolerant oneObjectAtATime(JsonDeserializer<?> usual, Unreadable unreadable) {
    return new Tolerant(
        usual,
        p -> p.hasToken(JsonToken.START_OBJECT),
        (p, ctxt, bind) -> {
          TokenBuffer buffer = ctxt.bufferAsCopyOfValue(p);
          try (JsonParser copy = buffer.asParserOnFirstToken()) {
            return bind.deserialize(copy, ctxt);
          } catch (IOException | RuntimeException e) {
            return unreadable.of(ctxt, ctxt.readTree(buffer.asParserOnFirstToken()), e);
          }
        });
  }

  static LabeledAppSet standIn(DeserializationContext ctxt, JsonNode node, Exception cause) {
    LabeledAppSet set = new LabeledAppSet();
    set.setMetadata(metadata(ctxt, node));
    ReadingProblem problem = null;
    boolean partsRead = true;
    JsonNode spec = node.get("spec");
    if (spec != null && !spec.isNull()) {
      try {
        set.setSpec(ctxt.readTreeAsValue(spec, LabeledAppSetSpec.class));
      } catch (IOException | RuntimeException e) {
        problem = describe("spec", spec, e);
        partsRead = false;
      }
    }
    JsonNode status = node.get("status");
    if (status != null && !status.isNull()) {
      try {
        set.setStatus(ctxt.readTreeAsValue(status, LabeledAppSetStatus.class));
      } catch (IOException | RuntimeException e) {
        // no status is as good as an unreadable one: the next write replaces it whole
        log.debug(
            "Status of LabeledAppSet {}/{} cannot be read ({}); a fresh one will be written",
            set.getMetadata().getNamespace(),
            set.getMetadata().getName(),
            describe("status", status, e));
        partsRead = false;
      }
    }
    if (problem == null && partsRead) {
      // spec and status read alone: the problem is elsewhere (metadata, the object itself)
      problem = describe("", node, cause);
    }
    if (problem != null) {
      set.setSpec(new LabeledAppSetSpec());
      set.setReadingProblem(problem);
    }
    return set;
  }

  /** Binds the items of a list one by one, leaving out those that cannot be bound. */
  private Tolerant skipUnreadableItems(JsonDeserializer<?> usual, JavaType itemType) {
    return new Tolerant(
        usual,
        JsonParser::isExpectedStartArrayToken,
        (p, ctxt, wholeList) -> readableItems(p, ctxt, itemType));
  }

  private List<Object> readableItems(JsonParser p, DeserializationContext ctxt, JavaType itemType)
      throws IOException {
    JsonDeserializer<Object> items = ctxt.findRootValueDeserializer(itemType);
    List<Object> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.hasToken(JsonToken.VALUE_NULL)) {
        continue;
      }
      TokenBuffer buffer = ctxt.bufferAsCopyOfValue(p);
      try (JsonParser copy = buffer.asParserOnFirstToken()) {
        out.add(items.deserialize(copy, ctxt));
      } catch (IOException | RuntimeException e) {
        skipped(
            ctxt.readTree(buffer.asParserOnFirstToken()),
            itemType.getRawClass().getSimpleName(),
            e,
            0);
      }
    }
    return out;
  }

  /** A watch event whose object cannot be bound: that object is left out of the cache. */
  private WatchEvent skipEvent(DeserializationContext ctxt, JsonNode event, Exception cause)
      throws IOException {
    JsonNode object = event.path("object");
    String type = event.path("type").asText();
    if (!object.isObject() || !List.of("ADDED", "MODIFIED", "DELETED").contains(type)) {
      throw cause instanceof IOException io ? io : new IOException(cause);
    }
    skipped(object, "object", cause, 1);
    GenericKubernetesResource metadataOnly = new GenericKubernetesResource();
    metadataOnly.setApiVersion(object.path("apiVersion").asText(null));
    metadataOnly.setKind(object.path("kind").asText(null));
    metadataOnly.setMetadata(metadata(ctxt, object));
    // a bookmark moves the informer past the event; a delete takes an older, readable copy out
    return new WatchEvent(metadataOnly, "ADDED".equals(type) ? "BOOKMARK" : "DELETED");
  }

  /** The object's metadata; if even that cannot be bound, the fields that identify it. */
  static ObjectMeta metadata(DeserializationContext ctxt, JsonNode object) {
    JsonNode meta = object.path("metadata");
    if (meta.isObject()) {
      try {
        return ctxt.readTreeAsValue(meta, ObjectMeta.class);
      } catch (IOException | RuntimeException e) {
        log.debug("Metadata cannot be read whole: {}", describe("metadata", meta, e));
      }
    }
    ObjectMeta known = new ObjectMeta();
    known.setName(text(meta, "name"));
    known.setNamespace(text(meta, "namespace"));
    known.setUid(text(meta, "uid"));
    known.setResourceVersion(text(meta, "resourceVersion"));
    if (meta.path("generation").canConvertToLong()) {
      known.setGeneration(meta.path("generation").asLong());
    }
    return known;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : null;
  }

  /**
   * What is wrong, by field path: {@code spec.progressDeadlineSeconds: 2147483648 is out of range
   * of int32}. {@code prefix} is the path of {@code root}, to which the exception's path is
   * relative.
   */
  static ReadingProblem describe(String prefix, JsonNode root, Exception e) {
    return describe(prefix, root, e, 0);
  }

  private static ReadingProblem describe(String prefix, JsonNode root, Exception e, int depth) {
    JsonNode value = root;
    StringBuilder path = new StringBuilder(prefix);
    List<JsonMappingException.Reference> refs =
        e instanceof JsonMappingException m ? m.getPath() : List.of();
    for (JsonMappingException.Reference ref :
        refs.subList(Math.min(depth, refs.size()), refs.size())) {
      String name = ref.getFieldName();
      if (name == null && ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
        value = value.path(ref.getIndex());
      } else if (name != null) {
        // a map's keys (labels, annotations) as [key], as the validator writes them
        boolean key = ref.getFrom() instanceof Map || !PLAIN_NAME.matcher(name).matches();
        path.append(key ? "[" + shown(name) + "]" : (path.length() == 0 ? "" : ".") + name);
        value = value.path(name);
      }
    }
    String field = path.length() == 0 ? "(object)" : path.toString();
    return new ReadingProblem(field, problem(e, value));
  }

  private static String problem(Exception e, JsonNode value) {
    if (e instanceof UnrecognizedPropertyException) {
      return "is not a known field";
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      String expected = expected(m.getTargetType());
      if (e instanceof InvalidFormatException
          && value.isIntegralNumber()
          && isIntegral(m.getTargetType())) {
        return value.asText() + " is out of range of " + expected;
      }
      if (value.isMissingNode()) {
        return "must be " + expected;
      }
      return "must be " + expected + ", got " + shown(value);
    }
    String message = e instanceof JsonMappingException m ? m.getOriginalMessage() : e.getMessage();
    message =
        message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
    return "cannot be read: " + shown(message);
  }

  private static boolean isIntegral(Class<?> type) {
    return type == Integer.class
        || type == int.class
        || type == Long.class
        || type == long.class
        || type == Short.class
        || type == short.class;
  }

  private static String expected(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Short.class || type == short.class) {
      return "int32";
    }
    if (type == Long.class || type == long.class) {
      return "int64";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == IntOrString.class) {
      return "a number or a string";
    }
    if (type.isEnum()) {
      return "one of "
          + Arrays.stream(type.getEnumConstants())
              .map(Object::toString)
              .collect(Collectors.joining(", "));
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "an object";
    }
    return Number.class.isAssignableFrom(type) ? "a number" : "an object";
  }

  private static String shown(JsonNode value) {
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "a list";
    }
    return value.isTextual() ? "\"" + shown(value.asText()) + "\"" : shown(value.toString());
  }

  /**
   * {@code text}, cut to a readable length: a 60,000-character key is named by its start and its
   * length.
   */
  static String shown(String text) {
    return text.length() <= SHOWN
        ? text
        : text.substring(0, SHOWN) + "...(" + text.length() + " characters)";
  }
}
