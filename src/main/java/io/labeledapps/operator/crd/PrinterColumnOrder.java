package io.labeledapps.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.labeledapps.operator.api.LabeledAppSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A build step (the pom runs it right after the CRD generator): kubectl shows a CRD's printer
 * columns in the order the CRD lists them, and the generator sorts them by jsonPath, which put AGE
 * first. This puts them back in the order {@link LabeledAppSet} declares them, moving whole entries
 * of the generated YAML and changing nothing else.
 */
public final class PrinterColumnOrder {
  private static final Pattern NAME = Pattern.compile("^\\s*(?:- )?name: \"?(.*?)\"?$");

  private PrinterColumnOrder() {}

  /** Rewrites each CRD file named in {@code args} in place. */
  public static void main(String[] args) throws IOException {
    for (String file : args) {
      Path crd = Path.of(file);
      Files.writeString(crd, apply(Files.readString(crd), declared()));
    }
  }

  /**
   * Column names in the order of the {@link AdditionalPrinterColumn} annotations on {@link
   * LabeledAppSet}.
   */
  static List<String> declared() {
    return Arrays.stream(LabeledAppSet.class.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name)
        .toList();
  }

  /**
   * {@code yaml} with every additionalPrinterColumns list ordered by {@code order} (names not in it
   * last).
   */
  static String apply(String yaml, List<String> order) {
    List<String> lines = new ArrayList<>(List.of(yaml.split("\n", -1)));
    for (int i = 0; i < lines.size(); i++) {
      int key = lines.get(i).indexOf("additionalPrinterColumns:");
      if (key < 0) {
        continue;
      }
      String item = " ".repeat(key) + "- ";
      String more = " ".repeat(key + 2);
      List<List<String>> entries = new ArrayList<>();
      int j = i + 1;
      while (j < lines.size()) {
        String line = lines.get(j);
        if (line.startsWith(item)) {
          entries.add(new ArrayList<>(List.of(line)));
        } else if (!entries.isEmpty() && line.startsWith(more) && !line.isBlank()) {
          entries.get(entries.size() - 1).add(line);
        } else {
          break;
        }
        j++;
      }
      List<List<String>> sorted = new ArrayList<>(entries);
      sorted.sort(
          Comparator.comparingInt(
              e -> {
                int at = order.indexOf(name(e));
                return at < 0 ? order.size() : at;
              }));
      List<String> replacement = sorted.stream().flatMap(List::stream).toList();
      for (int k = 0; k < replacement.size(); k++) {
        lines.set(i + 1 + k, replacement.get(k));
      }
      i = j - 1;
    }
    return String.join("\n", lines);
  }

  private static String name(List<String> entry) {
    for (String line : entry) {
      Matcher m = NAME.matcher(line);
      if (m.matches()) {
        return m.group(1);
      }
    }
    return "";
  }
}
