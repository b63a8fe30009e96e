#include "month_step.hpp"

#include <algorithm>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EXTRASIM_AVX512_STEP 1
#include <immintrin.h>
#endif

namespace extrasim::detail {

namespace {

constexpr std::uint32_t kXj = 1, kJob = 2, kFs = 0, kStay = kStateCount;

// The number of word thresholds at or below w: the index of the destination, kStateCount for
// "stay" (Dynamics::word_thresholds).
inline std::uint32_t walk(const std::uint64_t* bound, std::uint64_t w) {
  return static_cast<std::uint32_t>((w >= bound[0]) + (w >= bound[1]) + (w >= bound[2]) + (w >= bound[3]) +
                                    (w >= bound[4]));
}

}  // namespace

// One person at a time, without branches on the data in the common path, so that the compiler
// may vectorise it; the reference for the AVX-512 step.
void step_block_portable(const BlockRules& r, const BlockPeople& p, BlockTally& t) {
  std::array<std::uint32_t, kStateCount> in_state{};
  std::uint32_t twin_job = 0, twin_fs = 0, starts = 0, xj_first = 0, events = t.event_count;
  const auto first_months = static_cast<std::uint32_t>(r.first_months);
  for (std::uint32_t k = 0; k < p.n; ++k) {
    const auto s = static_cast<std::uint32_t>(p.state[k]);
    const std::uint32_t d = p.d[k];
    const std::uint32_t ever = p.ever_xj[k];
    const bool xj = s == kXj;
    for (std::uint32_t j = 0; j < kStateCount; ++j) in_state[j] += s == j;
    xj_first += xj & (d < first_months);
    if (r.spell_histogram) t.spell[d] += xj;
    if (p.twin != nullptr) {
      twin_job += xj & (static_cast<std::uint32_t>(p.twin[k]) == kJob);
      twin_fs += xj & (static_cast<std::uint32_t>(p.twin[k]) == kFs);
    }
    const std::uint64_t* row = r.rows + (ever != 0 ? r.after_xj_offset : 0) +
                               (static_cast<std::int64_t>(s) * r.slots + d) * kStateCount;
    const std::uint32_t to = walk(row, p.words[k]);
    std::uint32_t next = 0;
    if (xj) {
      // Early exit, else stay; a due decision or expiry is settled by the caller.
      const std::uint32_t x = std::min<std::uint32_t>(p.x[k] + 1u, static_cast<std::uint32_t>(r.max_months_cap));
      p.x[k] = static_cast<std::uint16_t>(x);
      const bool due = to == kStay && (x >= static_cast<std::uint32_t>(r.max_months_now) ||
                                       (d + 1) % static_cast<std::uint32_t>(r.decision_months) == 0);
      if (due) t.events[events++] = k;
      next = to == kStay ? kXj : to;
    } else {
      const bool allowed = r.programme_on && (r.reentry ? p.x[k] < static_cast<std::uint32_t>(r.max_months_next) : ever == 0);
      const bool start = to == kXj && allowed;
      next = to == kStay || (to == kXj && !allowed) ? s : to;
      starts += start;
      p.ever_xj[k] = static_cast<std::uint8_t>(ever | start);
    }
    // An extension is no change of state, so d keeps counting through it.
    p.d[k] = static_cast<std::uint16_t>(next == s ? std::min<std::uint32_t>(d + 1, static_cast<std::uint32_t>(r.duration_cap)) : 0);
    p.state[k] = static_cast<State>(next);
  }
  for (int j = 0; j < kStateCount; ++j) t.in_state[j] += in_state[j];
  t.twin_job += twin_job;
  t.twin_fs += twin_fs;
  t.starts += starts;
  t.xj_first += xj_first;
  t.event_count = events;
}

#ifdef EXTRASIM_AVX512_STEP

// GCC 12's AVX-512 headers build some vectors from an "uninitialised" self-assignment
// (_mm512_undefined_*), which its own -Wmaybe-uninitialized then reports at every inlined use.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#define EXTRASIM_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vbmi,popcnt")))

namespace {

EXTRASIM_AVX512 inline std::uint32_t popcount16(__mmask16 m) {
  return static_cast<std::uint32_t>(__builtin_popcount(static_cast<unsigned>(m)));
}

// Lanes whose (d + 1) is a multiple of the decision period. In single precision: n and the
// period are below 2^16, so n / period is never rounded up to the next integer.
EXTRASIM_AVX512 inline __mmask16 decision_due(__mmask16 lanes, __m512i d, int period) {
  const __m512i n = _mm512_add_epi32(d, _mm512_set1_epi32(1));
  const __m512 q = _mm512_roundscale_ps(_mm512_div_ps(_mm512_cvtepi32_ps(n), _mm512_set1_ps(static_cast<float>(period))),
                                        _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
  const __m512i rem = _mm512_sub_epi32(n, _mm512_mullo_epi32(_mm512_cvtps_epi32(q), _mm512_set1_epi32(period)));
  return _mm512_mask_cmpeq_epi32_mask(lanes, rem, _mm512_setzero_si512());
}

// The destination index of 16 lanes: how many of the row's five thresholds lie at or below
// the word, by two gathers of eight 64-bit thresholds per destination.
EXTRASIM_AVX512 inline __m512i walk16(__mmask16 lanes, const std::uint64_t* rows, __m512i index, __m512i words) {
  const __m256i index_lo = _mm512_castsi512_si256(index);
  const __m256i index_hi = _mm512_extracti64x4_epi64(index, 1);
  const __m512i w_lo = _mm512_cvtepu32_epi64(_mm512_castsi512_si256(words));
  const __m512i w_hi = _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(words, 1));
  const auto lo_lanes = static_cast<__mmask8>(lanes & 0xFF);
  const auto hi_lanes = static_cast<__mmask8>(lanes >> 8);
  const __m512i one = _mm512_set1_epi32(1);
  __m512i to = _mm512_setzero_si512();
  for (int j = 0; j < kStateCount; ++j) {
    const __m256i offset = _mm256_set1_epi32(j);
    const __m512i t_lo = _mm512_mask_i32gather_epi64(_mm512_setzero_si512(), lo_lanes, _mm256_add_epi32(index_lo, offset), rows, 8);
    const __m512i t_hi = _mm512_mask_i32gather_epi64(_mm512_setzero_si512(), hi_lanes, _mm256_add_epi32(index_hi, offset), rows, 8);
    const __mmask16 ge = static_cast<__mmask16>(_mm512_mask_cmpge_epu64_mask(lo_lanes, w_lo, t_lo) |
                                                (static_cast<unsigned>(_mm512_mask_cmpge_epu64_mask(hi_lanes, w_hi, t_hi)) << 8));
    to = _mm512_mask_add_epi32(to, ge, to, one);
  }
  return to;
}

// The same by the deduplicated rows: one gather of the row index (and decision flag) per
// lane, then two permutes of eight 64-bit thresholds per destination.
struct RowsInRegisters {
  __m512i low[kStateCount], high[kStateCount];  // thresholds of rows 0-7 and 8-15 by destination
};

EXTRASIM_AVX512 inline __m512i walk16_distinct(__mmask16 lanes, const RowsInRegisters& t, __m512i row, __m512i words) {
  const __m512i row_lo = _mm512_cvtepu32_epi64(_mm512_castsi512_si256(row));
  const __m512i row_hi = _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(row, 1));
  const __m512i w_lo = _mm512_cvtepu32_epi64(_mm512_castsi512_si256(words));
  const __m512i w_hi = _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(words, 1));
  const __m512i one = _mm512_set1_epi32(1);
  __m512i to = _mm512_setzero_si512();
  for (int j = 0; j < kStateCount; ++j) {
    const __m512i t_lo = _mm512_permutex2var_epi64(t.low[j], row_lo, t.high[j]);
    const __m512i t_hi = _mm512_permutex2var_epi64(t.low[j], row_hi, t.high[j]);
    const auto ge = static_cast<__mmask16>(_mm512_cmpge_epu64_mask(w_lo, t_lo) |
                                           (static_cast<unsigned>(_mm512_cmpge_epu64_mask(w_hi, t_hi)) << 8));
    to = _mm512_mask_add_epi32(to, static_cast<__mmask16>(ge & lanes), to, one);
  }
  return to;
}

// Entries index[k] < 128 of the 128-byte table in (low, high), zero-extended to 32-bit lanes.
EXTRASIM_AVX512 inline __m512i lookup_bytes(
    __m512i low, __m512i high, __m512i index) {
  const __m512i index_bytes = _mm512_castsi128_si512(_mm512_cvtepi32_epi8(index));
  const __m512i found = _mm512_permutex2var_epi8(low, index_bytes, high);
  return _mm512_cvtepu8_epi32(_mm512_castsi512_si128(found));
}

// --- 32 persons per iteration in 16-bit lanes ---------------------------------------------
// The common case: row ids by one byte permute, at most 16 distinct rows. Everything but the
// words fits 16 bits, so a vector holds 32 persons and each instruction does twice the work of
// the 32-bit step. The walk compares the words' upper 16 bits with the thresholds' upper 16
// bits (Dynamics::distinct_high16): w_hi > t_hi means w >= t, w_hi < t_hi means w < t; only
// when they are equal (about 5 lanes in 65 536) does the iteration redo the walk exactly.

EXTRASIM_AVX512 inline std::uint32_t popcount32(__mmask32 m) {
  return static_cast<std::uint32_t>(__builtin_popcount(static_cast<unsigned>(m)));
}

// Lanes i of a 16-bit vector from an array of 32.
EXTRASIM_AVX512 inline __m512i load16(const std::uint16_t (&values)[32]) { return _mm512_loadu_si512(values); }

struct NarrowConstants {
  __m512i slot_base;          // s -> s * slots
  __m512i upper_halves;       // indices of the words' upper 16-bit halves in (low, high)
  __m512i id_bytes_low, id_bytes_high;
  __m512i high[kStateCount];  // destination j's thresholds' upper bits by row
};

EXTRASIM_AVX512 inline NarrowConstants narrow_constants(const BlockRules& r) {
  NarrowConstants c;
  std::uint16_t base[32] = {}, halves[32] = {};
  for (int s = 0; s < kStateCount; ++s) base[s] = static_cast<std::uint16_t>(s * r.slots);
  for (int i = 0; i < 32; ++i) halves[i] = static_cast<std::uint16_t>(2 * i + 1);
  c.slot_base = load16(base);
  c.upper_halves = load16(halves);
  c.id_bytes_low = _mm512_loadu_si512(r.row_id_bytes);
  c.id_bytes_high = _mm512_loadu_si512(r.row_id_bytes + 64);
  for (int j = 0; j < kStateCount; ++j) c.high[j] = _mm512_loadu_si512(r.distinct_high16 + j * kHighStride);
  return c;
}

// The exact walk of the lanes of one iteration, from the full thresholds.
EXTRASIM_AVX512 inline __m512i walk32_exact(const BlockRules& r, __m512i row, const std::uint32_t* words, std::uint32_t n) {
  alignas(64) std::uint16_t rows[32], to[32] = {};
  _mm512_store_si512(rows, row);
  for (std::uint32_t i = 0; i < n && i < 32; ++i) {
    std::uint32_t count = 0;
    for (int j = 0; j < kStateCount; ++j) count += words[i] >= r.distinct_rows[j * kDistinctRowStride + rows[i]];
    to[i] = static_cast<std::uint16_t>(count);
  }
  return _mm512_load_si512(to);
}

EXTRASIM_AVX512 void step_block_narrow(const BlockRules& r, const BlockPeople& p, BlockTally& tally) {
  const NarrowConstants c = narrow_constants(r);
  std::uint32_t* const spell = tally.spell;
  std::uint32_t* const event_list = tally.events;
  std::uint32_t in_state[kStateCount] = {};
  std::uint32_t twin_job = 0, twin_fs = 0, starts = 0, xj_first = 0, events = tally.event_count;
  const __m512i one = _mm512_set1_epi16(1);
  const __m512i xj_code = _mm512_set1_epi16(static_cast<short>(kXj));
  const __m512i stay_code = _mm512_set1_epi16(static_cast<short>(kStay));
  const __m512i first_months = _mm512_set1_epi16(static_cast<short>(r.first_months));
  const __m512i lane_index = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (std::uint32_t k = 0; k < p.n; k += 32) {
    const std::uint32_t left = p.n - k;
    const __mmask32 lanes = left >= 32 ? ~__mmask32{0} : static_cast<__mmask32>((1u << left) - 1u);
    const __m512i s = _mm512_cvtepu8_epi16(_mm256_maskz_loadu_epi8(lanes, p.state + k));
    const __m512i d = _mm512_maskz_loadu_epi16(lanes, p.d + k);
    const __m512i x = _mm512_maskz_loadu_epi16(lanes, p.x + k);
    const __m512i ever = _mm512_cvtepu8_epi16(_mm256_maskz_loadu_epi8(lanes, p.ever_xj + k));
    const __m512i w_low = _mm512_maskz_loadu_epi32(static_cast<__mmask16>(lanes), p.words + k);
    const __m512i w_high = _mm512_maskz_loadu_epi32(static_cast<__mmask16>(lanes >> 16), p.words + k + 16);

    // Count month m.
    for (int j = 0; j < kStateCount; ++j) {
      in_state[j] += popcount32(_mm512_mask_cmpeq_epi16_mask(lanes, s, _mm512_set1_epi16(static_cast<short>(j))));
    }
    const __mmask32 xj = _mm512_mask_cmpeq_epi16_mask(lanes, s, xj_code);
    xj_first += popcount32(_mm512_mask_cmplt_epu16_mask(xj, d, first_months));
    if (r.spell_histogram && xj != 0) {
      alignas(64) std::uint16_t d_lanes[32];
      _mm512_store_si512(d_lanes, d);
      for (unsigned bits = xj; bits != 0; bits &= bits - 1) ++spell[d_lanes[__builtin_ctz(bits)]];
    }
    if (p.twin != nullptr) {
      const __m512i twin = _mm512_cvtepu8_epi16(_mm256_maskz_loadu_epi8(lanes, p.twin + k));
      twin_job += popcount32(_mm512_mask_cmpeq_epi16_mask(xj, twin, _mm512_set1_epi16(static_cast<short>(kJob))));
      twin_fs += popcount32(_mm512_mask_cmpeq_epi16_mask(xj, twin, _mm512_set1_epi16(static_cast<short>(kFs))));
    }

    // The row of (state, d) by a byte permute, then the destination by the upper halves.
    const __m512i index = _mm512_add_epi16(_mm512_permutexvar_epi16(s, c.slot_base), d);
    const __m512i index_bytes = _mm512_zextsi256_si512(_mm512_cvtepi16_epi8(index));
    const __m512i ids = _mm512_cvtepu8_epi16(
        _mm512_castsi512_si256(_mm512_permutex2var_epi8(c.id_bytes_low, index_bytes, c.id_bytes_high)));
    const __m512i row = _mm512_and_si512(ids, _mm512_set1_epi16(0x7F));
    const __mmask32 decision = _mm512_mask_test_epi16_mask(lanes, ids, _mm512_set1_epi16(0x80));
    const __m512i w_upper = _mm512_permutex2var_epi16(w_low, c.upper_halves, w_high);
    __m512i to = _mm512_setzero_si512();
    __mmask32 tie = 0;
    for (int j = 0; j < kStateCount; ++j) {
      const __m512i t = _mm512_permutexvar_epi16(row, c.high[j]);
      to = _mm512_mask_add_epi16(to, _mm512_cmpgt_epu16_mask(w_upper, t), to, one);
      tie |= _mm512_cmpeq_epi16_mask(w_upper, t);
    }
    if ((tie & lanes) != 0) to = walk32_exact(r, row, p.words + k, left);
    const __mmask32 stay = _mm512_mask_cmpeq_epi16_mask(lanes, to, stay_code);

    // xj: early exit, else stay; due decisions and expiries are listed for the caller.
    const __m512i x_next = _mm512_min_epu16(_mm512_add_epi16(x, one), _mm512_set1_epi16(static_cast<short>(r.max_months_cap)));
    const __mmask32 expiry = _mm512_mask_cmpge_epu16_mask(xj & stay, x_next, _mm512_set1_epi16(static_cast<short>(r.max_months_now)));
    const __mmask32 due = expiry | (decision & xj & stay & ~expiry);
    if (due != 0) {
      const __m512i first = _mm512_add_epi32(lane_index, _mm512_set1_epi32(static_cast<int>(k)));
      _mm512_mask_compressstoreu_epi32(event_list + events, static_cast<__mmask16>(due), first);
      events += popcount16(static_cast<__mmask16>(due));
      _mm512_mask_compressstoreu_epi32(event_list + events, static_cast<__mmask16>(due >> 16),
                                       _mm512_add_epi32(first, _mm512_set1_epi32(16)));
      events += popcount16(static_cast<__mmask16>(due >> 16));
    }
    __m512i next = _mm512_mask_mov_epi16(to, xj & stay, xj_code);

    // Everyone else: the row's move; a move to xj needs the programme and eligibility.
    const __mmask32 other = lanes & ~xj;
    const __mmask32 to_xj = _mm512_mask_cmpeq_epi16_mask(other, to, xj_code);
    __mmask32 allowed = 0;
    if (r.programme_on) {
      allowed = r.reentry ? _mm512_mask_cmplt_epu16_mask(to_xj, x, _mm512_set1_epi16(static_cast<short>(r.max_months_next)))
                          : _mm512_mask_cmpeq_epi16_mask(to_xj, ever, _mm512_setzero_si512());
    }
    next = _mm512_mask_mov_epi16(next, (other & stay) | (to_xj & ~allowed), s);
    starts += popcount32(allowed);
    const __m512i ever_next = _mm512_mask_mov_epi16(ever, allowed, one);

    // d counts on while the state stays (an extension included), else starts again.
    const __mmask32 same = _mm512_mask_cmpeq_epi16_mask(lanes, next, s);
    const __m512i d_next = _mm512_maskz_mov_epi16(same, _mm512_min_epu16(_mm512_add_epi16(d, one), _mm512_set1_epi16(static_cast<short>(r.duration_cap))));
    const __m512i x_store = _mm512_mask_mov_epi16(x, xj, x_next);

    _mm512_mask_cvtepi16_storeu_epi8(p.state + k, lanes, next);
    _mm512_mask_cvtepi16_storeu_epi8(p.ever_xj + k, lanes, ever_next);
    _mm512_mask_storeu_epi16(p.d + k, lanes, d_next);
    _mm512_mask_storeu_epi16(p.x + k, lanes, x_store);
  }
  for (int j = 0; j < kStateCount; ++j) tally.in_state[j] += in_state[j];
  tally.twin_job += twin_job;
  tally.twin_fs += twin_fs;
  tally.starts += starts;
  tally.xj_first += xj_first;
  tally.event_count = events;
}

// Whether the 16-bit step applies: row ids as bytes without after_xj rows, and every count
// (d, x and their caps) below 2^16 - 1 so that d + 1 and x + 1 cannot wrap.
bool narrow_step_applies(const BlockRules& r) {
  return r.row_id_bytes != nullptr && r.row_ids_after_xj == 0 && r.distinct_high16 != nullptr &&
         r.duration_cap < 0xFFFF && r.max_months_cap < 0xFFFF && r.max_months_now < 0xFFFF &&
         r.max_months_next < 0xFFFF && r.first_months < 0xFFFF;
}

}  // namespace

EXTRASIM_AVX512 void step_block_avx512(const BlockRules& rules, const BlockPeople& people, BlockTally& tally) {
  if (narrow_step_applies(rules)) return step_block_narrow(rules, people, tally);
  // Local copies and counters: the stores into the persons' arrays could otherwise alias them,
  // and every iteration would reload the rules and round-trip the counters through memory.
  const BlockRules r = rules;
  const BlockPeople p = people;
  std::uint32_t* const spell = tally.spell;
  std::uint32_t* const event_list = tally.events;
  std::uint32_t in_state[kStateCount] = {};
  std::uint32_t twin_job = 0, twin_fs = 0, starts = 0, xj_first = 0;
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i first_months = _mm512_set1_epi32(r.first_months);
  const __m512i xj_code = _mm512_set1_epi32(static_cast<int>(kXj));
  const __m512i stay_code = _mm512_set1_epi32(static_cast<int>(kStay));
  const __m512i lane_index = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  std::uint32_t events = tally.event_count;
  const bool distinct = r.row_ids != nullptr;
  // With at most 128 (state, d) entries, the row ids come from one byte permute (VBMI) of a
  // table held in two registers instead of a gather.
  const bool byte_ids = distinct && r.row_id_bytes != nullptr && r.row_ids_after_xj == 0;
  __m512i id_bytes_low = _mm512_setzero_si512(), id_bytes_high = _mm512_setzero_si512();
  if (byte_ids) {
    id_bytes_low = _mm512_loadu_si512(r.row_id_bytes);
    id_bytes_high = _mm512_loadu_si512(r.row_id_bytes + 64);
  }
  RowsInRegisters rows{};
  if (distinct) {
    for (int j = 0; j < kStateCount; ++j) {
      rows.low[j] = _mm512_loadu_si512(r.distinct_rows + j * kDistinctRowStride);
      rows.high[j] = _mm512_loadu_si512(r.distinct_rows + j * kDistinctRowStride + 8);
    }
  }
  for (std::uint32_t k = 0; k < p.n; k += 16) {
    const std::uint32_t left = p.n - k;
    const __mmask16 lanes = left >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << left) - 1u);
    const __m512i s = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(lanes, p.state + k));
    const __m512i d = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(lanes, p.d + k));
    const __m512i x = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(lanes, p.x + k));
    const __m512i ever = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(lanes, p.ever_xj + k));
    const __m512i words = _mm512_maskz_loadu_epi32(lanes, p.words + k);

    // Count month m.
    for (int j = 0; j < kStateCount; ++j) {
      in_state[j] += popcount16(_mm512_mask_cmpeq_epi32_mask(lanes, s, _mm512_set1_epi32(j)));
    }
    const __mmask16 xj = _mm512_mask_cmpeq_epi32_mask(lanes, s, xj_code);
    xj_first += popcount16(_mm512_mask_cmplt_epu32_mask(xj, d, first_months));
    if (r.spell_histogram && xj != 0) {
      alignas(64) std::uint32_t d_lanes[16];
      _mm512_store_si512(d_lanes, d);
      for (unsigned bits = xj; bits != 0; bits &= bits - 1) ++spell[d_lanes[__builtin_ctz(bits)]];
    }
    if (p.twin != nullptr) {
      const __m512i twin = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(lanes, p.twin + k));
      twin_job += popcount16(_mm512_mask_cmpeq_epi32_mask(xj, twin, _mm512_set1_epi32(static_cast<int>(kJob))));
      twin_fs += popcount16(_mm512_mask_cmpeq_epi32_mask(xj, twin, _mm512_set1_epi32(static_cast<int>(kFs))));
    }

    // The destination by the row of (ever_xj, state, d).
    const __mmask16 after = _mm512_mask_cmpneq_epi32_mask(lanes, ever, _mm512_setzero_si512());
    __m512i to;
    __mmask16 decision = 0;
    if (byte_ids) {
      const __m512i index = _mm512_add_epi32(_mm512_mullo_epi32(s, _mm512_set1_epi32(r.slots)), d);
      const __m512i ids = lookup_bytes(id_bytes_low, id_bytes_high, index);
      to = walk16_distinct(lanes, rows, _mm512_and_si512(ids, _mm512_set1_epi32(0x7F)), words);
      decision = _mm512_mask_test_epi32_mask(lanes, ids, _mm512_set1_epi32(0x80));
    } else if (distinct) {
      __m512i index = _mm512_add_epi32(_mm512_mullo_epi32(s, _mm512_set1_epi32(r.slots)), d);
      index = _mm512_mask_add_epi32(index, after, index, _mm512_set1_epi32(r.row_ids_after_xj));
      const __m512i ids = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), lanes, index, r.row_ids, 4);
      to = walk16_distinct(lanes, rows, _mm512_and_si512(ids, _mm512_set1_epi32(0xFF)), words);
      decision = _mm512_mask_test_epi32_mask(lanes, ids, _mm512_set1_epi32(0x100));
    } else {
      __m512i index = _mm512_mullo_epi32(_mm512_add_epi32(_mm512_mullo_epi32(s, _mm512_set1_epi32(r.slots)), d),
                                         _mm512_set1_epi32(kStateCount));
      index = _mm512_mask_add_epi32(index, after, index, _mm512_set1_epi32(r.after_xj_offset));
      to = walk16(lanes, r.rows, index, words);
    }
    const __mmask16 stay = _mm512_mask_cmpeq_epi32_mask(lanes, to, stay_code);

    // xj: early exit, else stay; due decisions and expiries are listed for the caller.
    const __m512i x_next = _mm512_min_epu32(_mm512_add_epi32(x, one), _mm512_set1_epi32(r.max_months_cap));
    const __mmask16 expiry = _mm512_mask_cmpge_epu32_mask(xj & stay, x_next, _mm512_set1_epi32(r.max_months_now));
    const auto rest = static_cast<__mmask16>(xj & stay & ~expiry);
    const __mmask16 due = expiry | (distinct ? static_cast<__mmask16>(decision & rest) : decision_due(rest, d, r.decision_months));
    if (due != 0) {  // rare: a compress-store costs more than the branch
      _mm512_mask_compressstoreu_epi32(event_list + events, due, _mm512_add_epi32(lane_index, _mm512_set1_epi32(static_cast<int>(k))));
      events += popcount16(due);
    }
    __m512i next = _mm512_mask_mov_epi32(to, static_cast<__mmask16>(xj & stay), xj_code);

    // Everyone else: the row's move; a move to xj needs the programme and eligibility.
    const __mmask16 other = static_cast<__mmask16>(lanes & ~xj);
    const __mmask16 to_xj = _mm512_mask_cmpeq_epi32_mask(other, to, xj_code);
    __mmask16 allowed = 0;
    if (r.programme_on) {
      allowed = r.reentry ? _mm512_mask_cmplt_epu32_mask(to_xj, x, _mm512_set1_epi32(r.max_months_next))
                          : _mm512_mask_cmpeq_epi32_mask(to_xj, ever, _mm512_setzero_si512());
    }
    const __mmask16 keep = static_cast<__mmask16>((other & stay) | (to_xj & ~allowed));
    next = _mm512_mask_mov_epi32(next, keep, s);
    starts += popcount16(allowed);
    const __m512i ever_next = _mm512_mask_mov_epi32(ever, allowed, one);

    // d counts on while the state stays (an extension included), else starts again.
    const __mmask16 same = _mm512_mask_cmpeq_epi32_mask(lanes, next, s);
    const __m512i d_next = _mm512_maskz_mov_epi32(same, _mm512_min_epu32(_mm512_add_epi32(d, one), _mm512_set1_epi32(r.duration_cap)));
    const __m512i x_store = _mm512_mask_mov_epi32(x, xj, x_next);

    _mm_mask_storeu_epi8(p.state + k, lanes, _mm512_cvtepi32_epi8(next));
    _mm_mask_storeu_epi8(p.ever_xj + k, lanes, _mm512_cvtepi32_epi8(ever_next));
    _mm256_mask_storeu_epi16(p.d + k, lanes, _mm512_cvtepi32_epi16(d_next));
    _mm256_mask_storeu_epi16(p.x + k, lanes, _mm512_cvtepi32_epi16(x_store));
  }
  for (int j = 0; j < kStateCount; ++j) tally.in_state[j] += in_state[j];
  tally.twin_job += twin_job;
  tally.twin_fs += twin_fs;
  tally.starts += starts;
  tally.xj_first += xj_first;
  tally.event_count = events;
}

bool avx512_available() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vbmi");
}

#else

void step_block_avx512(const BlockRules& rules, const BlockPeople& people, BlockTally& tally) {
  step_block_portable(rules, people, tally);
}

bool avx512_available() { return false; }

#endif

}  // namespace extrasim::detail
