// The snapshot's checksum (snapshot_format.hpp): XXH3 through libxxhash's
// run-time dispatch where the library has it (Debian's does), which picks
// SSE2, AVX2 or AVX-512 by what the processor offers; the same hash either way.
#include <xxhash.h>

#include "engine/org/snapshot_format.hpp"
#ifdef PERWAL_XXH3_DISPATCH
#include <xxh_x86dispatch.h>
#endif

namespace perwal::org::snapshot_detail {

std::uint64_t checksum(const char* data, std::size_t n) {
#ifdef PERWAL_XXH3_DISPATCH
  return XXH3_64bits_dispatch(data, n);
#else
  return XXH3_64bits(data, n);
#endif
}

}  // namespace perwal::org::snapshot_detail
