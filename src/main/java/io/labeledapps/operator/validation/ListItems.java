package io.labeledapps.operator.validation;

import java.util.List;
import java.util.function.BiConsumer;

/** Walks a list field of a spec or pod template, element by element, each with its path. */
final class ListItems {
  private ListItems() {}

  /**
   * Calls {@code check} with the path ({@code path[i]}) and element of each element of {@code
   * items} (nothing when the list is absent); reports an empty (null) element instead of checking
   * it.
   */
  static <T> void each(
      String path, List<T> items, BiConsumer<String, String> report, BiConsumer<String, T> check) {
    if (items == null) {
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      String at = path + "[" + i + "]";
      T item = items.get(i);
      if (item == null) {
        report.accept(at, "is empty");
      } else {
        check.accept(at, item);
      }
    }
  }

  /**
   * Calls {@code check} with the path ({@code path[i]}) and element of each element of {@code
   * items} that is there (nothing when the list is absent); an empty (null) element is skipped.
   */
  static <T> void eachPresent(String path, List<T> items, BiConsumer<String, T> check) {
    for (int i = 0; items != null && i < items.size(); i++) {
      if (items.get(i) != null) {
        check.accept(path + "[" + i + "]", items.get(i));
      }
    }
  }
}
