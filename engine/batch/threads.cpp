#include "batch/threads.hpp"

#include <omp.h>

#include <stdexcept>

namespace daihai::batch {

int default_threads() { return omp_get_max_threads(); }

int resolve_threads(int requested) {
  if (requested < 0) throw std::invalid_argument("--threads must be 0 (default) or a positive number");
  return requested == 0 ? default_threads() : requested;
}

}  // namespace daihai::batch
