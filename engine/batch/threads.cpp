#include "batch/threads.hpp"

#include <malloc.h>
#include <omp.h>

#include <stdexcept>

namespace daihai::batch {

int default_threads() { return omp_get_max_threads(); }

int resolve_threads(int requested) {
  if (requested < 0) throw std::invalid_argument("--threads must be 0 (default) or a positive number");
  return requested == 0 ? default_threads() : requested;
}

void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 256 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
}

}  // namespace daihai::batch
