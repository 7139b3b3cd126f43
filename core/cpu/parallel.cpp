#include "core/cpu/parallel.h"

#include <cblas.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace hl::cpu {
namespace {

// A small pool whose idle workers sleep on a condition variable. OpenMP's default spin-waiting made every parallel
// loop crawl whenever the cores were shared (a GUI thread, another process): waiting threads burned the time slices
// the working ones needed. The caller runs a share of every loop itself.
class ThreadPool {
 public:
  static ThreadPool& instance() {
    static ThreadPool pool;
    return pool;
  }

  int threads() const { return threads_; }

  void resize(int n) {
    std::lock_guard submit(submit_);
    stop_workers();
    start_workers(n);
  }

  void run(std::int64_t n, void* ctx, detail::RangeFn fn, bool dynamic) {
    // Loops started from inside a pool task run serially: the pool is busy with the outer loop.
    if (in_pool_task || threads_ <= 1) {
      for (std::int64_t i = 0; i < n; ++i) fn(ctx, i);
      return;
    }
    std::lock_guard submit(submit_);  // one loop at a time; concurrent callers queue here
    {
      std::lock_guard lock(m_);
      n_ = n;
      ctx_ = ctx;
      fn_ = fn;
      // Static loops hand out a few large blocks per thread; dynamic ones single iterations.
      block_ = dynamic ? 1 : std::max<std::int64_t>(1, n / (4 * static_cast<std::int64_t>(threads_)));
      next_.store(0);
      busy_ = static_cast<int>(workers_.size());
      ++generation_;
    }
    wake_.notify_all();
    work();
    std::unique_lock lock(m_);
    done_.wait(lock, [&] { return busy_ == 0; });
  }

 private:
  ThreadPool() {
    const unsigned hc = std::thread::hardware_concurrency();
    start_workers(hc ? static_cast<int>(hc) : 1);
  }
  ~ThreadPool() { stop_workers(); }

  void start_workers(int n) {
    threads_ = std::max(1, n);
    stop_ = false;
    for (int i = 1; i < threads_; ++i) workers_.emplace_back([this] { worker(); });
  }

  void stop_workers() {
    {
      std::lock_guard lock(m_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

  void work() {
    in_pool_task = true;
    for (;;) {
      const std::int64_t begin = next_.fetch_add(block_);
      if (begin >= n_) break;
      const std::int64_t end = std::min(n_, begin + block_);
      for (std::int64_t i = begin; i < end; ++i) fn_(ctx_, i);
    }
    in_pool_task = false;
  }

  void worker() {
    std::uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock lock(m_);
        wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
      }
      work();
      std::lock_guard lock(m_);
      if (--busy_ == 0) done_.notify_one();
    }
  }

  static thread_local bool in_pool_task;

  std::mutex submit_, m_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  int threads_ = 1;
  bool stop_ = false;
  std::uint64_t generation_ = 0;
  int busy_ = 0;
  std::int64_t n_ = 0, block_ = 1;
  void* ctx_ = nullptr;
  detail::RangeFn fn_ = nullptr;
  std::atomic<std::int64_t> next_{0};
};

thread_local bool ThreadPool::in_pool_task = false;

}  // namespace

int max_threads() { return ThreadPool::instance().threads(); }

void set_num_threads(int n) {
  if (n <= 0) {
    const unsigned hc = std::thread::hardware_concurrency();
    n = hc ? static_cast<int>(hc) : 1;
  }
  if (n != ThreadPool::instance().threads()) ThreadPool::instance().resize(n);
  openblas_set_num_threads(n);
}

SingleThreadedBlas::SingleThreadedBlas() : previous_(openblas_get_num_threads()) { openblas_set_num_threads(1); }
SingleThreadedBlas::~SingleThreadedBlas() { openblas_set_num_threads(previous_); }

namespace detail {
void parallel_for_impl(std::int64_t n, void* ctx, RangeFn fn, bool dynamic) {
  ThreadPool::instance().run(n, ctx, fn, dynamic);
}
}  // namespace detail

}  // namespace hl::cpu
