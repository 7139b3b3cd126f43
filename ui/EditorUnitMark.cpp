#include "ui/EditorUnitMark.h"

#include <QPlainTextEdit>
#include <QTextCursor>
#include <QTextDocument>

#include "core/analysis/report/report.h"
#include "ui/models/TokenDeltaModel.h"

namespace hl::ui {

void markUnitInEditor(QPlainTextEdit& editor, const TokenDeltaModel& units, int unit) {
  editor.setExtraSelections({});
  const auto report = units.report();
  if (!report || unit < 0 || unit >= units.unitCount()) return;
  // The report's byte offsets as the editor's UTF-16 positions.
  const std::string& text = report->comparison.text;
  const QPoint span = units.data(units.index(unit, 0), TokenDeltaModel::ByteSpanRole).toPoint();
  if (span.x() < 0 || static_cast<std::size_t>(span.y()) > text.size()) return;
  const int begin = static_cast<int>(QString::fromUtf8(text.data(), span.x()).size());
  const int length = static_cast<int>(QString::fromUtf8(text.data() + span.x(), span.y() - span.x()).size());
  if (editor.document()->characterCount() < begin + length) return;
  QTextEdit::ExtraSelection mark;
  mark.cursor = QTextCursor(editor.document());
  mark.cursor.setPosition(begin);
  mark.cursor.setPosition(begin + length, QTextCursor::KeepAnchor);
  const QColor c = units.colour(unit);
  mark.format.setBackground(c.isValid() ? c : QColor(220, 220, 220));
  mark.format.setForeground(units.textColour(unit));
  mark.format.setFontUnderline(true);
  editor.setExtraSelections({mark});
  if (editor.toPlainText().size() != QString::fromStdString(text).size()) return;
  QTextCursor visible = mark.cursor;  // scrolled to without moving the user's cursor
  visible.clearSelection();
  const QTextCursor keep = editor.textCursor();
  editor.setTextCursor(visible);
  editor.ensureCursorVisible();
  editor.setTextCursor(keep);
}

}  // namespace hl::ui
