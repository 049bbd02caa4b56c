#include "services/national/text_similarity.h"

#include <algorithm>
#include <limits>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "common/pagination/page_token.h"

namespace qpv::national {
namespace {

uint64_t Mix(uint64_t h) {
  // MurmurHash3's fmix64.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

const std::array<uint64_t, kMinHashes>& Seeds() {
  static const auto* seeds = [] {
    auto* s = new std::array<uint64_t, kMinHashes>();
    uint64_t x = 0x51505f4e4154ULL;  // fixed: signatures agree across processes
    for (auto& seed : *s) {
      x += 0x9e3779b97f4a7c15ULL;  // splitmix64
      seed = Mix(x);
    }
    return s;
  }();
  return *seeds;
}

bool IsStopWord(const std::string& w) {
  // clang-format off
  static const auto* words = new absl::flat_hash_set<std::string>{
      "a",    "afin", "au",   "aux",  "avec", "c",     "ce",    "ces",  "cet",  "cette",
      "chez", "d",    "dans", "de",   "des",  "du",    "elle",  "elles", "en",  "entre",
      "est",  "et",   "etc",  "il",   "ils",  "j",     "l",     "la",   "le",   "les",
      "leur", "leurs", "lui", "m",    "mais", "me",    "n",     "ne",   "nos",  "notre",
      "nous", "on",   "ou",   "par",  "pas",  "pour",  "qu",    "que",  "qui",  "s",
      "sa",   "se",   "ses",  "son",  "sont", "sur",   "t",     "te",   "un",   "une",
      "vers", "vos",  "votre", "vous", "y"};
  // clang-format on
  return words->contains(w);
}

// Plural and feminine endings, so rewordings share words.
std::string Stem(std::string w) {
  if (w.size() > 4 && absl::EndsWith(w, "aux")) {
    w.replace(w.size() - 3, 3, "al");
  } else if (w.size() > 3 && (w.back() == 's' || w.back() == 'x')) {
    w.pop_back();
  }
  if (w.size() > 3 && w.back() == 'e') w.pop_back();
  return w;
}

// The folded form of a non-ASCII code point: lower-case ASCII letters,
// nullptr for a separator, "" for a letter kept as written.
const char* Fold(char32_t c) {
  // clang-format off
  switch (c) {
    case 0xC0: case 0xC1: case 0xC2: case 0xC3: case 0xC4: case 0xC5:
    case 0xE0: case 0xE1: case 0xE2: case 0xE3: case 0xE4: case 0xE5: return "a";
    case 0xC6: case 0xE6: return "ae";
    case 0xC7: case 0xE7: return "c";
    case 0xC8: case 0xC9: case 0xCA: case 0xCB:
    case 0xE8: case 0xE9: case 0xEA: case 0xEB: return "e";
    case 0xCC: case 0xCD: case 0xCE: case 0xCF:
    case 0xEC: case 0xED: case 0xEE: case 0xEF: return "i";
    case 0xD1: case 0xF1: return "n";
    case 0xD2: case 0xD3: case 0xD4: case 0xD5: case 0xD6: case 0xD8:
    case 0xF2: case 0xF3: case 0xF4: case 0xF5: case 0xF6: case 0xF8: return "o";
    case 0xD9: case 0xDA: case 0xDB: case 0xDC:
    case 0xF9: case 0xFA: case 0xFB: case 0xFC: return "u";
    case 0xDD: case 0xFD: case 0xFF: case 0x178: return "y";
    case 0xDF: return "ss";
    case 0x152: case 0x153: return "oe";
    default: break;
  }
  // clang-format on
  // Latin-1 punctuation and symbols, general punctuation (’ « » – … nbsp).
  if (c < 0xC0 || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x206F) ||
      (c >= 0x3000 && c <= 0x303F)) {
    return nullptr;
  }
  return "";  // another script's letter: kept as written
}

// Decodes one UTF-8 code point at s[*i]; an invalid byte is U+FFFD.
char32_t Next(absl::string_view s, size_t* i, size_t* len) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(*i);
  int n = 0;
  char32_t cp = 0;
  if (c < 0x80) {
    n = 1;
    cp = c;
  } else if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    *len = 1;
    return 0xFFFD;
  }
  if (*i + n > s.size()) {
    *len = 1;
    return 0xFFFD;
  }
  for (int k = 1; k < n; ++k) {
    if ((b(*i + k) & 0xC0) != 0x80) {
      *len = 1;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b(*i + k) & 0x3F);
  }
  *len = n;
  return cp;
}

}  // namespace

std::vector<std::string> NormalizedWords(absl::string_view text) {
  std::vector<std::string> words;
  std::string word;
  const auto flush = [&] {
    if (!word.empty() && !IsStopWord(word)) words.push_back(Stem(std::move(word)));
    word.clear();
  };
  size_t i = 0;
  while (i < text.size()) {
    size_t len = 1;
    const char32_t cp = Next(text, &i, &len);
    if (cp < 0x80) {
      char ch = static_cast<char>(cp);
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
        word.push_back(ch);
      } else {
        flush();
      }
      i += len;
      continue;
    }
    const char* folded = cp == 0xFFFD ? nullptr : Fold(cp);
    if (folded == nullptr) {
      flush();
    } else if (*folded == '\0') {
      word.append(text.data() + i, len);
    } else {
      word.append(folded);
    }
    i += len;
  }
  flush();
  return words;
}

std::vector<uint64_t> Shingles(absl::string_view title, absl::string_view text) {
  std::vector<std::string> words = NormalizedWords(title);
  std::vector<std::string> more = NormalizedWords(text);
  words.insert(words.end(), std::make_move_iterator(more.begin()),
               std::make_move_iterator(more.end()));
  std::vector<uint64_t> out;
  out.reserve(2 * words.size());
  for (const auto& w : words) out.push_back(pagination::StableHash64(w));
  // The hash of "w1 w2" without building it: StableHash64 is FNV-1a then a
  // final mix, so the FNV state after "w1 " seeds the hash of "w2".
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : words[i]) h = (h ^ c) * 0x100000001b3ULL;
    h = (h ^ static_cast<unsigned char>(' ')) * 0x100000001b3ULL;
    out.push_back(pagination::StableHash64(words[i + 1], h));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Signature MinHash(const std::vector<uint64_t>& shingles) {
  Signature sig;
  sig.fill(std::numeric_limits<uint64_t>::max());
  const auto& seeds = Seeds();
  for (uint64_t s : shingles) {
    for (int i = 0; i < kMinHashes; ++i) sig[i] = std::min(sig[i], Mix(s ^ seeds[i]));
  }
  return sig;
}

namespace {

// The key of a band from its rows' minimums.
uint32_t KeyOfRows(const uint64_t* rows) {
  uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (int r = 0; r < kRows; ++r) h = Mix(h ^ rows[r]) + r;
  return static_cast<uint32_t>(h ^ (h >> 32));
}

}  // namespace

BandKeys Bands(const Signature& signature) {
  BandKeys keys;
  for (int b = 0; b < kBands; ++b) keys[b] = KeyOfRows(&signature[b * kRows]);
  return keys;
}

uint32_t BandKey(int band, const std::vector<uint64_t>& shingles) {
  std::array<uint64_t, kRows> rows;
  rows.fill(std::numeric_limits<uint64_t>::max());
  const uint64_t* seeds = &Seeds()[band * kRows];
  for (uint64_t s : shingles) {
    for (int r = 0; r < kRows; ++r) rows[r] = std::min(rows[r], Mix(s ^ seeds[r]));
  }
  return KeyOfRows(rows.data());
}

double Jaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  if (a.empty() && b.empty()) return 0;
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) {
      ++common;
      ++i;
      ++j;
    } else if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

}  // namespace qpv::national
