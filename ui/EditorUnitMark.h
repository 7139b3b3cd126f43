#pragma once
// The pinned unit marked in the text editor (its colour, underlined) and scrolled into view, so the unit can be
// found in the text being edited. Only while the editor still holds the scored text: after an edit the report's
// byte offsets no longer name the same characters.
class QPlainTextEdit;

namespace hl::ui {

class TokenDeltaModel;

// unit -1 (or a unit the editor's text no longer holds) removes the mark.
void markUnitInEditor(QPlainTextEdit& editor, const TokenDeltaModel& units, int unit);

}  // namespace hl::ui
