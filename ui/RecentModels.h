#pragma once
// The recently loaded model pairs, most recent first: what the Models → Recent menu lists and the settings keep.
// Pure list logic (add, de-duplicate, cap) plus reading and writing it to a QSettings group, so it can be tested
// without a display.
#include <QList>
#include <QString>

class QSettings;

namespace hl::ui {

struct ModelPair {
  QString hybrid, reference, tokenizer;  // tokenizer may be empty

  bool operator==(const ModelPair&) const = default;
  // Whether both model folders (and the tokenizer, when set) are still there; a pair whose folders were moved or
  // deleted is listed but cannot be loaded.
  bool exists() const;
  // "hybrid vs reference" by folder name, for the menu.
  QString label() const;
};

class RecentModels {
 public:
  static constexpr int kMaxEntries = 8;

  // Puts the pair first; an equal entry (same paths after cleaning, e.g. a trailing slash) moves up instead of
  // appearing twice; the oldest entries beyond kMaxEntries are dropped. Pairs without both folders are ignored.
  void add(ModelPair pair);
  const QList<ModelPair>& entries() const { return entries_; }
  bool isEmpty() const { return entries_.empty(); }

  // The list under settings' "models/recent" array; load() applies the same rules as add(), so a hand-edited or
  // older settings file cannot bring back duplicates or more than kMaxEntries.
  void save(QSettings& settings) const;
  static RecentModels load(QSettings& settings);

 private:
  QList<ModelPair> entries_;
};

}  // namespace hl::ui
