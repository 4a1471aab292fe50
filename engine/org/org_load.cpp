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
#include "engine/org/org_json_reader.hpp"
#include "engine/org/org_validate.hpp"

namespace perwal::org {

std::shared_ptr<const org_graph> org_graph::load(std::string_view text, std::string_view source_name,
                                                 const vocabulary& vocab, const structure& shape,
                                                 std::vector<load_error>& errors) {
  // The streaming reader gives up on anything invalid or unusual; the
  // reference loader then produces the complete error list.
  if (auto g = load_streaming(text, vocab, shape)) return g;
  return load_reference(text, source_name, vocab, shape, errors);
}

std::shared_ptr<const org_graph> org_graph::load_reference(std::string_view text, std::string_view source_name,
                                                           const vocabulary& vocab, const structure& shape,
                                                           std::vector<load_error>& errors) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    errors.push_back({syntax_location(text, e.byte, source_name), explanation(e.what())});
    return nullptr;
  } catch (const nlohmann::json::exception& e) {  // e.g. a number out of range
    errors.push_back({std::string(source_name), explanation(e.what())});
    return nullptr;
  }
  return load(doc, vocab, shape, errors);
}

std::shared_ptr<const org_graph> org_graph::load(const nlohmann::json& doc, const vocabulary& vocab,
                                                 const structure& shape, std::vector<load_error>& errors) {
  // The document into a spec (reporting what is not of its shape), then the
  // spec's validation, told which fields were reported already.
  error_sink sink;
  spec s;
  read_notes notes;
  if (!json_reader{sink, s, notes}.read(doc)) {
    sink.flush(errors);
    return nullptr;
  }
  auto g = std::make_shared<org_graph>();
  loader l(s, &notes, vocab, shape, *g, sink);
  const bool valid = l.validate();
  sink.flush(errors);
  if (!valid) return nullptr;
  freezer::freeze(*g, shape, l.tags_);
  return g;
}

std::shared_ptr<const org_graph> build(const spec& s, const vocabulary& vocab, const structure& shape,
                                       std::vector<load_error>& errors) {
  error_sink sink;
  auto g = std::make_shared<org_graph>();
  loader l(s, nullptr, vocab, shape, *g, sink);
  const bool valid = l.validate();
  sink.flush(errors);
  if (!valid) return nullptr;
  freezer::freeze(*g, shape, l.tags_);
  return g;
}

std::optional<spec> read_spec(const nlohmann::json& doc, std::vector<load_error>& errors) {
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
  sink.flush(errors);
  return std::nullopt;
}
}  // namespace perwal::org
