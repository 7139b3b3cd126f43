#pragma once
// Where the window opens when there is no saved geometry (a first run, a renderer, a test): kScreenShare of its
// screen's available geometry in each direction (1536×864 on 1920×1080), centred, so the text and its colours fill
// most of the screen without covering it.
class QWidget;

namespace hl::ui {

inline constexpr double kScreenShare = 0.8;

void placeForFirstRun(QWidget& window);

}  // namespace hl::ui
