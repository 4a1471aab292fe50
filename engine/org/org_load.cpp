// Loading an org (perwal-org/1): read the document into a spec (org_spec.hpp),
// validate the spec while collecting every error, then freeze into the
// Boost.Graph and the precomputed indices. org::build() validates a spec made
// in code with the same passes, so a spec and its document give the same org
// or the same errors.
//
// The JSON reader reports what is not of the document's shape (sections,
// objects, JSON types) and notes which fields it reported, so validation
// skips them. Validation runs in passes so that references may point
// forwards: take instansi, units, positions and employees (registering ids
// and NIPs), then resolve the references that may name a later item, then
// delegations and teams (everything they name is known by then), then check
// the shape of the parent and atasan forests. Errors carry their JSON
// location and are reported sorted by it, so the order does not depend on
// the passes (nor on which of the reader and the validator found them).
//
// Everything after validation is linear and iterative: orgs reach millions
// of positions and chains thousands deep.
#include <algorithm>

#include "engine/common/json_input.hpp"
#include "engine/org/org_json_reader.hpp"
#include "engine/org/org_validate.hpp"

namespace perwal::org {

std::shared_ptr<const org_graph> org_graph::load(std::string_view text, std::string_view source_name,
                                                 const vocabulary& vocab, const structure& shape, diagnostics& errors) {
  // The streaming reader gives up on anything invalid or unusual; the
  // reference loader then produces the complete error list.
  if (auto g = load_streaming(text, vocab, shape)) {
    check_nips(*g, errors, std::make_shared<const source_file>(source_file{std::string(source_name), ""}));
    return g;
  }
  return load_reference(text, source_name, vocab, shape, errors);
}

bool national_nip(std::string_view nip) {
  return nip.size() == 18 && std::all_of(nip.begin(), nip.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void check_nips(const org_graph& g, diagnostics& out, const std::shared_ptr<const source_file>& file) {
  constexpr std::size_t shown = 20;
  std::size_t found = 0;
  for (std::size_t i = 0; i < g.employees().size(); ++i) {
    const std::string_view nip = g.employees()[i].nip;
    if (national_nip(nip)) continue;
    if (++found <= shown) {
      out.report(location::json("employees[" + std::to_string(i) + "].nip", file), msg("org.nip-form", quote(nip)));
    }
  }
  if (found > shown)
    out.report(location::json("employees", file), msg("org.nip-form.more", std::to_string(found - shown)));
}

std::shared_ptr<const org_graph> org_graph::load_reference(std::string_view text, std::string_view source_name,
                                                           const vocabulary& vocab, const structure& shape,
                                                           diagnostics& errors) {
  json_input::failure why;
  auto doc = json_input::parse(text, why);
  if (!doc) {
    const auto at = json_input::locate(text, why.byte);
    const auto file = std::make_shared<const source_file>(source_file{std::string(source_name), ""});
    const source_pos pos{static_cast<std::uint32_t>(why.byte), static_cast<std::uint32_t>(at.line),
                         static_cast<std::uint32_t>(at.column)};
    const location where = why.located ? location(source_range{file, pos, pos}) : location(source_range{file, {}, {}});
    errors.report(where, why.too_deep    ? msg("org.too-deep", std::to_string(json_input::max_depth))
                         : why.duplicate ? msg("org.duplicate-key", why.key)
                                         : msg("org.syntax", explanation(why.message)));
    return nullptr;
  }
  // Errors at a JSON path name the file they are in.
  diagnostics found;
  auto g = load(*doc, vocab, shape, found);
  const auto file = std::make_shared<const source_file>(source_file{std::string(source_name), ""});
  for (diagnostic d : found.items()) {
    if (!d.at.range.file) d.at.range.file = file;
    errors.report(std::move(d.at), std::move(d.text), std::move(d.notes));
  }
  return g;
}

std::shared_ptr<const org_graph> org_graph::load(const nlohmann::json& doc, const vocabulary& vocab,
                                                 const structure& shape, diagnostics& errors) {
  // The document into a spec (reporting what is not of its shape), then the
  // spec's validation, told which fields were reported already.
  error_sink sink;
  spec s;
  read_notes notes;
  if (!json_reader{sink, s, notes}.read(doc)) {
    sink.flush(errors, nullptr);
    return nullptr;
  }
  auto g = std::make_shared<org_graph>();
  loader l(s, &notes, vocab, shape, *g, sink);
  const bool valid = l.validate();
  sink.flush(errors, nullptr, [&l](message& m) { l.suggest(m); });
  if (!valid) return nullptr;
  freezer::freeze(*g, shape, l.tags_);
  check_nips(*g, errors);
  return g;
}

std::shared_ptr<const org_graph> build(const spec& s, const vocabulary& vocab, const structure& shape,
                                       diagnostics& errors) {
  error_sink sink;
  auto g = std::make_shared<org_graph>();
  loader l(s, nullptr, vocab, shape, *g, sink);
  const bool valid = l.validate();
  sink.flush(errors, nullptr, [&l](message& m) { l.suggest(m); });
  if (!valid) return nullptr;
  freezer::freeze(*g, shape, l.tags_);
  check_nips(*g, errors);
  return g;
}

std::optional<spec> read_spec(const nlohmann::json& doc, diagnostics& errors) {
  error_sink sink;
  spec s;
  read_notes notes;
  if (json_reader{sink, s, notes}.read(doc)) {
    // a jenjang of the wrong type, which load() reports only where a jenjang may be
    for (const auto& [i, message] : notes.jenjang_errors) {
      sink.add(section::positions, i, field::jenjang, none, message);
    }
  }
  if (sink.empty()) return s;
  sink.flush(errors, nullptr);
  return std::nullopt;
}
}  // namespace perwal::org
