// hybridlens-cli render --model H --reference R [--reference R2 ...] (--file F | --text T) --out slide.png|svg|pdf
// [--width W] [--title T] [--caption C] [--scale S] [--callout best|worst|N] [--tokenizer P] [--report PATH]
//
// Drawing needs QtGui, which this executable must not link (it runs where no Qt GUI library is installed), so the
// slide is drawn by the GUI executable installed beside it, `hybridlens --render`, on Qt's offscreen platform: the
// same SlideExport code as File → Export slide, without a display.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "app/cli/args.h"

namespace hl::cli {

namespace {

constexpr const char* kUsage =
    "usage: hybridlens-cli render --model HYBRID --reference REF [--reference REF2 ...] (--file F | --text T)\n"
    "                             --out OUT [--width PX] [--title T] [--caption C] [--scale S]\n"
    "                             [--callout best|worst|N] [--tokenizer PATH] [--report PATH]\n\n"
    "Scores the text with the models and writes the slide (title, models and headline numbers, Δ legend, the\n"
    "coloured text, an optional callout, caption) as OUT: .png (--scale pixels per point, default 2), .svg or .pdf.\n"
    "With several --reference, the slide colours by Δ against the first.\n"
    "--callout best outlines the unit the hybrid gains most on, worst the one it loses most on.\n"
    "--report PATH also writes the report the slide shows (.json, .csv or .html), as `score --reference` does.\n"
    "Runs `hybridlens --render` (the GUI executable beside this one) on Qt's offscreen platform: no display needed.\n";

const OptionSpec kOptions[] = {{"--model"},   {"--reference", true, true}, {"--file"},    {"--text"},
                               {"--out"},     {"--width"},                 {"--title"},   {"--caption"},
                               {"--scale"},   {"--callout"},               {"--tokenizer"}, {"--report"}};

std::filesystem::path gui_executable() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path("hybridlens") : self.parent_path() / "hybridlens";
}

}  // namespace

int run_render(std::span<char*> raw) {
  {
    const ParsedArgs a = parse_args("render", raw, kOptions);
    if (a.help) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (a.has("--file") == a.has("--text")) throw std::runtime_error("give exactly one of --file and --text");
    std::vector<std::string> args = {"hybridlens", "--render", a.required("--out"), "--model", a.required("--model")};
    const std::vector<std::string> references = a.values("--reference");
    if (references.empty()) (void)a.required("--reference");  // throws "--reference is required"
    for (const std::string& r : references) {
      args.emplace_back("--reference");
      args.push_back(r);
    }
    for (const char* name : {"--width", "--title", "--caption", "--scale", "--callout", "--tokenizer", "--report", "--text"})
      if (const auto v = a.value(name)) {
        args.emplace_back(name);
        args.push_back(*v);
      }
    if (const auto f = a.value("--file")) args.push_back(*f);

    const std::filesystem::path gui = gui_executable();
    if (!std::filesystem::exists(gui))
      throw std::runtime_error(gui.string() +
                               " not found; rendering needs the HybridLens GUI executable (built with HL_GUI=ON) "
                               "installed beside hybridlens-cli");
    std::vector<char*> argv;
    for (std::string& s : args) argv.push_back(s.data());
    argv.push_back(nullptr);
    if (std::getenv("QT_QPA_PLATFORM") == nullptr) setenv("QT_QPA_PLATFORM", "offscreen", 1);
    std::fflush(stdout);
    execv(gui.c_str(), argv.data());
    throw std::runtime_error("cannot run " + gui.string() + ": " + std::strerror(errno));
  }
}

}  // namespace hl::cli
