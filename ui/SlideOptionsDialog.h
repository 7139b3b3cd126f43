#pragma once
// File → Export slide asks first for what goes on the slide (title, caption, text width, PNG scale) and the format.
#include <QString>
#include <optional>

#include "ui/export/SlideExport.h"

class QWidget;

namespace hl::ui {

struct SlideRequest {
  SlideOptions options;  // callout left as "the pinned unit"
  QString suffix;        // png, svg or pdf
};

// nullopt when the user cancels. `defaultTitle` is shown as the title's placeholder (what an empty title becomes).
std::optional<SlideRequest> askForSlide(QWidget* parent, const QString& defaultTitle);

}  // namespace hl::ui
