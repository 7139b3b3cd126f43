#pragma once
// The Δ colour legend: a gradient from "reference better" (orange, −limit) through white (0) to "hybrid better"
// (blue, +limit). Also painted at the top of the token-view exports.
#include <QString>
#include <QWidget>

namespace hl::ui {

class DeltaLegend : public QWidget {
  Q_OBJECT
 public:
  explicit DeltaLegend(QWidget* parent = nullptr);

  void setLimit(double limit);
  void setNames(const QString& hybrid, const QString& reference, const QString& lossUnit);
  QSize sizeHint() const override;

  static constexpr int kHeight = 34;
  static void paint(QPainter& p, const QRectF& rect, double limit, const QString& hybrid, const QString& reference,
                    const QString& lossUnit);

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  double limit_ = 2.0;
  QString hybrid_ = QStringLiteral("hybrid"), reference_ = QStringLiteral("reference"), unit_ = QStringLiteral("nats");
};

}  // namespace hl::ui
