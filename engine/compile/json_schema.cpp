// JSON Schemas of what perwal reads and writes, generated from a compiled
// ruleset: its codes and its schema of the data (`fields`), so a regulation
// that adds a step field, an action or a contents code gets a schema that
// accepts it. One source of truth: the DSL. `perwal schema --rules R KIND`.
#include "engine/compile/json_schema.hpp"

namespace perwal {

namespace {

using json = nlohmann::json;

json codes_of(const compiled_ruleset& r, category cat) {
  json out = json::array();
  for (auto c : r.vocab.codes(cat)) out.push_back(r.vocab.name(c));
  return {{"type", "string"}, {"enum", out}};
}

const json id_or_nip = {{"type", "string"}, {"minLength", 1}, {"description", "a position id or an employee's NIP"}};
const json date_string = {{"type", "string"}, {"pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}};

json type_of(const compiled_ruleset& r, const field_type& f) {
  switch (f.k) {
    case field_type::kind::position:
      return id_or_nip;
    case field_type::kind::positions:
      return {{"type", "array"}, {"items", id_or_nip}};
    case field_type::kind::unit:
      return {{"type", "string"}, {"description", "a unit id"}};
    case field_type::kind::number:
      return {{"type", "number"}};
    case field_type::kind::text:
      return {{"type", "string"}};
    case field_type::kind::date:
      return date_string;
    case field_type::kind::boolean:
      return {{"type", "boolean"}};
    case field_type::kind::coded:
      return f.is_set ? json{{"type", "array"}, {"items", codes_of(r, *f.cat)}} : codes_of(r, *f.cat);
    case field_type::kind::record:
      return {{"$ref", "#/$defs/record_" + f.record}};
  }
  return json::object();
}

// A null is a stated "none" for every declared field.
json nullable(json t) {
  return {{"anyOf", json::array({std::move(t), {{"type", "null"}}})}};
}

json records_of(const compiled_ruleset& r) {
  json defs = json::object();
  for (const auto& [name, fields] : r.schema.records) {
    json props = json::object();
    for (const auto& [f, t] : fields) props[f] = nullable(type_of(r, t));
    defs["record_" + name] = {{"type", "object"}, {"properties", props}};
  }
  return defs;
}

json team_object(const compiled_ruleset& r) {
  json props = {{"id", {{"type", "string"}}},
                {"name", {{"type", "string"}}},
                {"owner_unit", {{"type", "string"}}},
                {"established_by", nullable(id_or_nip)},
                {"ketua", nullable(id_or_nip)},
                {"anggota", {{"type", "array"}, {"items", id_or_nip}}},
                {"role", codes_of(r, category::team_role)}};
  for (const auto& [f, t] : r.schema.team) props[f] = nullable(type_of(r, t));
  return {{"type", "object"}, {"properties", props}};
}

json step_schema(const compiled_ruleset& r) {
  json variants = json::array();
  for (auto action : r.vocab.codes(category::action)) {
    json props = {{"action", {{"const", r.vocab.name(action)}}}};
    if (const auto it = r.schema.step.find(action); it != r.schema.step.end()) {
      for (const auto& [f, t] : it->second) props[f] = nullable(type_of(r, t));
    }
    variants.push_back({{"type", "object"}, {"required", {"action"}}, {"properties", props}});
  }
  return {{"oneOf", variants}};
}

json query_schema(const compiled_ruleset& r) {
  auto object = [](json props, json required) {
    props["ruleset"] = {{"type", "string"}};  // the ruleset to answer it (the server's choice otherwise)
    return json{{"type", "object"},
                {"properties", std::move(props)},
                {"required", std::move(required)},
                {"additionalProperties", false}};
  };
  const json team_ref = {
      {"anyOf", json::array({{{"type", "string"}}, {{"$ref", "#/$defs/team"}}, {{"type", "null"}}})}};
  json variants = json::array();
  variants.push_back(
      object({{"type", {{"const", "kedudukan"}}}, {"position", id_or_nip}, {"atasan", nullable(id_or_nip)}},
             {"type", "position"}));
  variants.push_back(object({{"type", {{"const", "penugasan"}}},
                             {"mode", codes_of(r, category::mode)},
                             {"assignee", id_or_nip},
                             {"owner_unit", {{"type", "string"}}},
                             {"assigned_by", nullable(id_or_nip)},
                             {"team", team_ref},
                             {"steps", {{"type", "array"}, {"items", step_schema(r)}}}},
                            {"type", "mode", "assignee", "owner_unit"}));
  variants.push_back(object({{"type", {{"const", "pelaporan"}}},
                             {"from", id_or_nip},
                             {"to", id_or_nip},
                             {"as", codes_of(r, category::report_as)},
                             {"team", team_ref},
                             {"also_to", {{"type", "array"}, {"items", id_or_nip}}}},
                            {"type", "from", "to", "as"}));
  variants.push_back(object({{"type", {{"const", "tim"}}}, {"team", team_ref}}, {"type", "team"}));
  variants.push_back(object({{"type", {{"const", "audit"}}}}, {"type"}));
  auto defs = records_of(r);
  defs["team"] = team_object(r);
  return {{"oneOf", variants}, {"$defs", defs}};
}

}  // namespace

const std::vector<std::string>& query_fields(std::string_view type) {
  // Static lists: reading a query allocates nothing for them.
  static const std::vector<std::string> kedudukan = {"type", "ruleset", "position", "atasan"},
                                        penugasan = {"type",       "ruleset",     "mode", "assignee",
                                                     "owner_unit", "assigned_by", "team", "steps"},
                                        pelaporan = {"type", "ruleset", "from", "to", "as", "team", "also_to"},
                                        tim = {"type", "ruleset", "team"}, audit = {"type", "ruleset"}, none;
  if (type == "kedudukan") return kedudukan;
  if (type == "penugasan") return penugasan;
  if (type == "pelaporan") return pelaporan;
  if (type == "tim") return tim;
  if (type == "audit") return audit;
  return none;
}

namespace {

json org_schema(const compiled_ruleset& r) {
  auto list_of = [](json item) { return json{{"type", "array"}, {"items", std::move(item)}}; };
  const json unit = {{"type", "object"},
                     {"required", {"id", "kind"}},
                     {"properties",
                      {{"id", {{"type", "string"}, {"minLength", 1}}},
                       {"name", {{"type", "string"}}},
                       {"kind", codes_of(r, category::unit_kind)},
                       {"parent", nullable({{"type", "string"}})},
                       {"instansi", {{"type", "string"}}},
                       {"head", nullable(id_or_nip)},
                       {"tags", list_of({{"type", "string"}})}}}};
  const json position = {{"type", "object"},
                         {"required", {"id", "kind", "jenis", "unit"}},
                         {"properties",
                          {{"id", {{"type", "string"}, {"minLength", 1}}},
                           {"title", {{"type", "string"}}},
                           {"kind", codes_of(r, category::position_kind)},
                           {"jenis", codes_of(r, category::jenis)},
                           {"jenjang", nullable(codes_of(r, category::jenjang))},
                           {"unit", {{"type", "string"}}},
                           {"atasan", nullable(id_or_nip)},
                           {"tags", list_of({{"type", "string"}})}}}};
  json delegation_props = {{"from", id_or_nip},
                           {"to", id_or_nip},
                           {"authority", codes_of(r, category::authority)},
                           {"basis", {{"type", "string"}}}};
  for (const auto& [f, t] : r.schema.delegation) delegation_props[f] = nullable(type_of(r, t));
  const json delegation = {
      {"type", "object"}, {"required", {"from", "to", "authority"}}, {"properties", delegation_props}};
  json team = team_object(r);
  team["required"] = {"id", "owner_unit"};
  return {
      {"type", "object"},
      {"required", {"schema", "instansi", "units", "positions"}},
      {"properties",
       {{"schema", {{"const", "perwal-org/1"}}},
        {"instansi", list_of({{"type", "object"},
                              {"required", {"id"}},
                              {"properties",
                               {{"id", {{"type", "string"}}},
                                {"name", {{"type", "string"}}},
                                {"pejabat_berwenang", nullable(id_or_nip)}}}})},
        {"units", list_of(unit)},
        {"positions", list_of(position)},
        {"employees",
         list_of({{"type", "object"},
                  {"required", {"nip", "position"}},
                  {"properties",
                   {{"nip", {{"type", "string"}}},
                    {"name", {{"type", "string"}}},
                    {"position", {{"type", "string"}}},
                    {"sebagai", {{"enum", {"plt", "plh"}}, {"description", "acting in this position (Plt, Plh)"}}}}}})},
        {"delegations", list_of(delegation)},
        {"teams", list_of(team)}}},
      {"$defs", records_of(r)}};
}

json decision_schema(const compiled_ruleset& r) {
  const json text = {{"type", "string"}};
  const json texts = {{"type", "array"}, {"items", text}};
  // `quote`: the cited article's words, present only when asked for (--quote, ?quote=1).
  const json finding = {{"type", "object"},
                        {"required", {"rule", "strength", "citation", "message"}},
                        {"additionalProperties", false},
                        {"properties",
                         {{"rule", text},
                          {"strength", {{"enum", {"wajib", "dilarang", "boleh", "diutamakan"}}}},
                          {"citation", text},
                          {"quote", text},
                          {"message", text},
                          {"hint", text},
                          {"path", texts},
                          {"evidence", texts}}}};
  const json findings = {{"type", "array"}, {"items", finding}};
  // A next step carries the step's own fields (those the ruleset declares for
  // its action); `by` is a list when any of several positions may take it.
  const json next_step = {{"type", "object"},
                          {"required", {"action", "by"}},
                          {"properties",
                           {{"action", codes_of(r, category::action)},
                            {"by", {{"oneOf", {text, texts}}}},
                            {"step", text},
                            {"rule", text},
                            {"citation", text},
                            {"quote", text}}}};
  const json count = {{"type", "integer"}, {"minimum", 0}};
  const json summary = {
      {"type", "object"},
      {"additionalProperties", false},
      {"required", {"findings", "violations", "warnings", "needs", "items_with_findings", "checked", "text"}},
      {"properties",
       {{"findings", count},
        {"violations", count},
        {"warnings", count},
        {"needs", count},
        {"items_with_findings", count},
        {"checked", count},
        {"text", text}}}};
  return {{"type", "object"},
          {"required", {"decision", "ruleset", "violations", "warnings"}},
          {"additionalProperties", false},
          {"properties",
           {{"decision", {{"enum", {"allowed", "denied", "incomplete"}}}},
            {"ruleset", text},
            {"decision_id", text},  // the decision log's id, in the API's answers
            {"checked", count},
            {"summary", summary},
            {"scope", codes_of(r, category::scope)},
            {"regulation_scope", text},
            {"workflow", text},
            {"violations", findings},
            {"warnings", findings},
            {"needs", findings},
            {"next", {{"type", "array"}, {"items", next_step}}},
            {"trace", texts}}}};
}

}  // namespace

std::optional<nlohmann::json> json_schema(const compiled_ruleset& rules, std::string_view kind) {
  json body;
  if (kind == "org")
    body = org_schema(rules);
  else if (kind == "query")
    body = query_schema(rules);
  else if (kind == "decision")
    body = decision_schema(rules);
  else
    return std::nullopt;
  json out = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
              {"$id", "urn:perwal:schema:" + rules.header.id + ":" + std::string(kind)},
              {"title", "perwal " + std::string(kind) + " (" + rules.header.id + ")"}};
  out.update(body);
  return out;
}

}  // namespace perwal
