// Internal to engine/org: the validator, a spec checked in passes (ids and
// NIPs, references that may point forwards, delegations and teams, the
// parent and atasan forests) into the graph's items, every error with its
// JSON path. A spec read from JSON and one built in code go through it alike.
#pragma once

#include "engine/common/spelling.hpp"
#include "engine/org/org_load_internal.hpp"

namespace perwal::org {

struct loader {
  loader(const spec& s_, const read_notes* notes_, const vocabulary& vocab_, const structure& shape_, org_graph& out,
         error_sink& errors_)
      : s(s_), notes(notes_), vocab(vocab_), shape(shape_), g(out), errors(errors_) {
    pemerintah_daerah = vocab.find(category::unit_kind, "pemerintah_daerah").value_or(no_code);
    fungsional = vocab.find(category::jenis, "fungsional").value_or(no_code);
    if (notes != nullptr) {
      units_ok_ = notes->units_ok;
      positions_ok_ = notes->positions_ok;
      instansi_ok_ = notes->instansi_ok;
    }
  }

  const spec& s;
  const read_notes* notes;
  const vocabulary& vocab;
  const structure& shape;
  org_graph& g;
  error_sink& errors;
  code pemerintah_daerah = no_code;
  code fungsional = no_code;

  // References kept (as pointers into the spec) until their targets are known.
  struct unit_refs {
    const std::string* parent = nullptr;
    const std::string* instansi = nullptr;
    const std::string* head = nullptr;
    bool root = false;            // parent absent or null
    bool instansi_absent = true;  // instansi absent or null
  };
  std::vector<unit_refs> unit_refs_;
  std::vector<const std::string*> atasan_refs_;
  std::vector<const std::string*> pejabat_refs_;
  std::unordered_map<std::string, index> instansi_ids_;
  // A section that is not an array makes every reference into it fail;
  // those failures are not reported again.
  bool units_ok_ = true;
  bool positions_ok_ = true;
  bool instansi_ok_ = true;
  std::vector<tag_ref> tags_;

  [[nodiscard]] std::string_view intern(const std::string& x) { return g.strings_.add(x); }

  template <class T>
  [[nodiscard]] static const std::string* ref(const std::optional<T>& v) {
    return v ? &*v : nullptr;
  }

  // The fields of item `i` the reader reported (0 for a spec).
  [[nodiscard]] std::uint32_t broken(section sec, index i) const {
    return notes == nullptr ? 0 : notes->broken[static_cast<std::size_t>(sec)][i];
  }
  [[nodiscard]] static bool has(std::uint32_t mask, field f) { return (mask & field_bit(f)) != 0; }
  [[nodiscard]] static bool skipped(std::uint32_t mask) { return has(mask, field::none); }

  void read_tags(const std::vector<std::string>& tags, bool is_unit, index i) {
    const auto first = static_cast<std::uint32_t>(g.tag_pool_.size());
    for (const std::string& t : tags) g.tag_pool_.build().push_back(intern(t));
    const auto count = static_cast<std::uint32_t>(g.tag_pool_.size() - first);
    if (count != 0) tags_.push_back({is_unit, i, first, count});
  }

  // A required identifier: not empty (unless its field was reported).
  [[nodiscard]] bool valid_id(const std::string& id, std::uint32_t mask, section sec, index i, field f) {
    if (has(mask, f)) return false;
    if (id.empty()) {
      errors.add(sec, i, f, none, msg("org.empty"));
      return false;
    }
    return true;
  }

  // A code of `cat`; `unknown` is the message for a name that is not one.
  [[nodiscard]] code code_of(const std::string& name, std::uint32_t mask, section sec, index i, field f, category cat,
                             std::string_view unknown) {
    if (has(mask, f)) return no_code;
    if (const auto c = vocab.find(cat, name)) return *c;
    errors.add(sec, i, f, none, msg(std::string(unknown), quote(name)));
    return no_code;
  }

  // "Did you mean": an unknown unit or position reference (the raw id is its
  // message's second argument) with the org's id nearest to it. Called on the
  // errors shown, the first few only: each search reads every id.
  void suggest(message& m) {
    const bool unit_ref = m.id == "org.no-unit";
    if ((!unit_ref && m.id != "org.no-position") || m.args.size() != 2) return;
    const std::string raw = std::move(m.args[1]);
    m.args.resize(1);
    if (++suggested_ > max_suggestions) return;
    nearest_finder near(raw, true);
    if (unit_ref) {
      for (index i = 0; i < g.units_.size(); ++i) near.consider(g.units_[i].id);
    } else {
      for (index i = 0; i < g.positions_.size(); ++i) near.consider(g.positions_[i].id);
    }
    if (!near.best().empty() && near.best() != raw) m = msg(m.id + ".near", m.args[0], quote(near.best()));
  }
  static constexpr std::size_t max_suggestions = 20;
  std::size_t suggested_ = 0;

  // ---- validation ----

  [[nodiscard]] bool validate() {
    if (notes == nullptr && !fits()) return false;
    build_instansi();
    build_units();
    build_positions();
    build_employees();
    resolve_forward_refs();
    build_delegations();
    build_teams();
    check_unit_forest();
    check_atasan_forest();
    check_heads();
    return errors.empty();
  }

  // Every section of a spec can be indexed (the reader checks a document's).
  [[nodiscard]] bool fits() {
    bool ok = true;
    const auto check = [&](section sec, std::size_t n) {
      if (n < none) return;
      errors.add(sec, msg("org.too-many"));
      ok = false;
    };
    check(section::instansi, s.instansi.size());
    check(section::units, s.units.size());
    check(section::positions, s.positions.size());
    check(section::employees, s.employees.size());
    check(section::delegations, s.delegations.size());
    check(section::teams, s.teams.size());
    return ok;
  }

  // `duplicate` is the message ("org.duplicate-unit").
  void report_duplicate(index first, std::string_view id, section sec, index i, field f, std::string_view duplicate) {
    errors.add(sec, i, f, none, msg(std::string(duplicate), quote(id), item_path(sec, first)));
  }
  void register_id(std::unordered_map<std::string, index>& ids, const std::string& id, section sec, index i, field f,
                   std::string_view what) {
    const auto [it, inserted] = ids.try_emplace(id, i);
    if (!inserted) report_duplicate(it->second, id, sec, i, f, what);
  }
  template <class KeyOf>
  void register_id(id_table& ids, KeyOf&& key_of, std::string_view id, section sec, index i, field f,
                   std::string_view what) {
    if (const index first = ids.insert(id, i, key_of); first != none) report_duplicate(first, id, sec, i, f, what);
  }

  void build_instansi() {
    const auto n = static_cast<index>(s.instansi.size());
    g.instansi_.resize(n);
    pejabat_refs_.resize(n, nullptr);
    instansi_ids_.reserve(n);
    for (index i = 0; i < n; ++i) {
      const std::uint32_t mask = broken(section::instansi, i);
      if (skipped(mask)) continue;
      const instansi_spec& in = s.instansi[i];
      instansi& x = g.instansi_[i];
      if (valid_id(in.id, mask, section::instansi, i, field::id)) {
        x.id = intern(in.id);
        register_id(instansi_ids_, in.id, section::instansi, i, field::id, "org.duplicate-instansi");
      }
      x.name = intern(in.name);
      pejabat_refs_[i] = ref(in.pejabat_berwenang);
    }
  }

  void build_units() {
    const auto n = static_cast<index>(s.units.size());
    g.units_.build().resize(n);
    unit_refs_.resize(n);
    g.unit_ids_.reserve_for(n);
    for (index i = 0; i < n; ++i) {
      const std::uint32_t mask = broken(section::units, i);
      if (skipped(mask)) continue;
      const unit_spec& in = s.units[i];
      unit& u = g.units_.build()[i];
      unit_refs& refs = unit_refs_[i];
      if (valid_id(in.id, mask, section::units, i, field::id)) {
        u.id = intern(in.id);
        register_id(g.unit_ids_, freezer::unit_key(g), u.id, section::units, i, field::id, "org.duplicate-unit");
      }
      u.name = intern(in.name);
      u.kind = code_of(in.kind, mask, section::units, i, field::kind, category::unit_kind, "org.unknown-unit-kind");
      // a parent or instansi of the wrong type is neither absent nor a reference
      refs.root = !in.parent && !has(mask, field::parent);
      refs.parent = ref(in.parent);
      refs.instansi_absent = !in.instansi && !has(mask, field::instansi);
      refs.instansi = ref(in.instansi);
      refs.head = ref(in.head);
      read_tags(in.tags, true, i);
    }
  }

  void build_positions() {
    const auto n = static_cast<index>(s.positions.size());
    g.positions_.build().resize(n);
    atasan_refs_.resize(n, nullptr);
    g.position_ids_.reserve_for(n);
    for (index i = 0; i < n; ++i) {
      const std::uint32_t mask = broken(section::positions, i);
      if (skipped(mask)) continue;
      const position_spec& in = s.positions[i];
      position& p = g.positions_.build()[i];
      if (valid_id(in.id, mask, section::positions, i, field::id)) {
        p.id = intern(in.id);
        register_id(g.position_ids_, freezer::position_key(g), p.id, section::positions, i, field::id,
                    "org.duplicate-position");
      }
      p.title = intern(in.title);
      p.kind = code_of(in.kind, mask, section::positions, i, field::kind, category::position_kind,
                       "org.unknown-position-kind");
      p.jenis = code_of(in.jenis, mask, section::positions, i, field::jenis, category::jenis, "org.unknown-jenis");
      build_jenjang(in, mask, i, p);
      if (!has(mask, field::unit)) p.unit = resolve_unit(in.unit, section::positions, i, field::unit);
      atasan_refs_[i] = ref(in.atasan);
      read_tags(in.tags, false, i);
    }
  }

  // A jenjang belongs to fungsional positions only, and every one has one.
  void build_jenjang(const position_spec& in, std::uint32_t mask, index i, position& p) {
    const bool given = in.jenjang.has_value() || has(mask, field::jenjang);
    const bool is_fungsional = p.jenis != no_code && p.jenis == fungsional;
    if (given && p.jenis != no_code && !is_fungsional) {
      errors.add(section::positions, i, field::jenjang, none,
                 msg("org.jenjang-not-fungsional", quote(vocab.name(p.jenis))));
      return;
    }
    if (!given) {
      // every fungsional position has a jenjang: the rules compare them
      if (is_fungsional) errors.add(section::positions, i, field::jenjang, none, msg("org.fungsional-no-jenjang"));
      return;
    }
    if (has(mask, field::jenjang)) {  // not a string
      errors.add(section::positions, i, field::jenjang, none, notes->jenjang_errors.at(i));
      return;
    }
    p.jenjang =
        code_of(*in.jenjang, mask, section::positions, i, field::jenjang, category::jenjang, "org.unknown-jenjang");
  }

  void build_employees() {
    const auto n = static_cast<index>(s.employees.size());
    g.employees_.build().resize(n);
    g.nips_.reserve_for(n);
    for (index i = 0; i < n; ++i) {
      const std::uint32_t mask = broken(section::employees, i);
      if (skipped(mask)) continue;
      const employee_spec& in = s.employees[i];
      employee& e = g.employees_.build()[i];
      const auto as = acting_from_name(in.sebagai);
      if (!as) errors.add(section::employees, i, field::sebagai, none, msg("org.unknown-sebagai", quote(in.sebagai)));
      e.as = as.value_or(acting::definitif);
      if (valid_id(in.nip, mask, section::employees, i, field::nip)) {
        e.nip = intern(in.nip);
        // Only the position held definitively is the NIP's: one per NIP.
        if (e.as == acting::definitif)
          register_id(g.nips_, freezer::nip_key(g), e.nip, section::employees, i, field::nip, "org.duplicate-nip");
      }
      e.name = intern(in.name);
      if (!has(mask, field::position)) {
        const index found = g.position_ids_.find(in.position, freezer::position_key(g));
        if (found != none) {
          e.position = found;
        } else if (positions_ok_) {
          errors.add(section::employees, i, field::position, none,
                     msg("org.no-position", quote(in.position), in.position));
        }
      }
    }
  }

  [[nodiscard]] index resolve_unit(const std::string& id, section sec, index i, field f) {
    if (const index found = g.unit_ids_.find(id, freezer::unit_key(g)); found != none) return found;
    if (units_ok_) errors.add(sec, i, f, none, msg("org.no-unit", quote(id), id));
    return none;
  }

  [[nodiscard]] index resolve_instansi(const std::string& id, section sec, index i, field f) {
    const auto it = instansi_ids_.find(id);
    if (it != instansi_ids_.end()) return it->second;
    if (instansi_ok_) errors.add(sec, i, f, none, msg("org.no-instansi", quote(id)));
    return none;
  }

  // A position id, or the NIP of the employee holding the position.
  [[nodiscard]] index resolve_position(const std::string& id, section sec, index i, field f, index sub = none) {
    if (const index found = g.position_ids_.find(id, freezer::position_key(g)); found != none) return found;
    // none when that employee's own position is broken (reported there)
    if (const index found = g.nips_.find(id, freezer::nip_key(g)); found != none) return g.employees_[found].position;
    if (positions_ok_) errors.add(sec, i, f, sub, msg("org.no-position", quote(id), id));
    return none;
  }

  // References that may name an item read after the referring one.
  void resolve_forward_refs() {
    for (index i = 0; i < g.instansi_.size(); ++i) {
      if (pejabat_refs_[i] != nullptr) {
        g.instansi_[i].pejabat_berwenang =
            resolve_position(*pejabat_refs_[i], section::instansi, i, field::pejabat_berwenang);
      }
    }
    for (index i = 0; i < g.units_.size(); ++i) {
      const unit_refs& refs = unit_refs_[i];
      unit& u = g.units_.build()[i];
      if (refs.parent != nullptr) u.parent = resolve_unit(*refs.parent, section::units, i, field::parent);
      if (refs.instansi != nullptr) u.instansi = resolve_instansi(*refs.instansi, section::units, i, field::instansi);
      if (refs.head != nullptr) u.head = resolve_position(*refs.head, section::units, i, field::head);
    }
    for (index i = 0; i < g.positions_.size(); ++i) {
      if (atasan_refs_[i] != nullptr) {
        g.positions_.build()[i].atasan = resolve_position(*atasan_refs_[i], section::positions, i, field::atasan);
      }
    }
  }

  void build_delegations() {
    const auto n = static_cast<index>(s.delegations.size());
    g.delegations_.resize(n);
    for (index i = 0; i < n; ++i) {
      delegation& d = g.delegations_[i];
      d.json_path = item_path(section::delegations, i);
      const std::uint32_t mask = broken(section::delegations, i);
      if (skipped(mask)) continue;
      const delegation_spec& in = s.delegations[i];
      if (!has(mask, field::from)) d.from = resolve_position(in.from, section::delegations, i, field::from);
      if (!has(mask, field::to)) d.to = resolve_position(in.to, section::delegations, i, field::to);
      d.authority = code_of(in.authority, mask, section::delegations, i, field::authority, category::authority,
                            "org.unknown-authority");
      d.basis = intern(in.basis);
      if (in.fields.is_object() && !in.fields.empty()) d.extra = in.fields;
    }
  }

  void build_teams() {
    const auto n = static_cast<index>(s.teams.size());
    g.teams_.resize(n);
    g.team_ids_.reserve_for(n);
    for (index i = 0; i < n; ++i) {
      g.teams_[i].json_path = item_path(section::teams, i);
      const std::uint32_t mask = broken(section::teams, i);
      if (skipped(mask)) continue;
      g.teams_[i].extra = notes != nullptr ? *notes->team_objects[i] : to_json(s.teams[i]);
      build_team(i, s.teams[i], mask, notes != nullptr ? notes->broken_anggota : no_broken_anggota);
    }
  }

  static inline const std::vector<std::pair<index, index>> no_broken_anggota;

  // The typed fields of team `i` (its `extra` and json_path are set).
  void build_team(index i, const team_spec& in, std::uint32_t mask,
                  const std::vector<std::pair<index, index>>& broken_anggota) {
    team& t = g.teams_[i];
    if (valid_id(in.id, mask, section::teams, i, field::id)) {
      t.id = intern(in.id);
      register_id(g.team_ids_, freezer::team_key(g), t.id, section::teams, i, field::id, "org.duplicate-team");
    }
    t.name = intern(in.name);
    if (!has(mask, field::owner_unit)) t.owner_unit = resolve_unit(in.owner_unit, section::teams, i, field::owner_unit);
    if (in.established_by) {
      t.established_by = resolve_position(*in.established_by, section::teams, i, field::established_by);
    }
    if (in.ketua) t.ketua = resolve_position(*in.ketua, section::teams, i, field::ketua);
    t.anggota.reserve(in.anggota.size());
    for (std::size_t j = 0; j < in.anggota.size(); ++j) {
      const auto sub = static_cast<index>(j);
      const bool bad = std::binary_search(broken_anggota.begin(), broken_anggota.end(), std::pair(i, sub));
      t.anggota.push_back(bad ? none : resolve_position(in.anggota[j], section::teams, i, field::anggota, sub));
    }
    if (in.target) {
      t.target.sasaran = intern(in.target->sasaran);
      t.target.indikator = intern(in.target->indikator);
      t.target.nilai = in.target->nilai;
    }
  }

  // Parent cycles; each root is a pemerintah_daerah naming its instansi, one
  // per instansi, and every inner unit agrees with the instansi it inherits.
  void check_unit_forest() {
    const auto roots = find_roots(g.units_.build(), &unit::parent, [&](auto first, auto last) {
      errors.add(section::units, *std::min_element(first, last), field::parent, none,
                 msg("org.cycle", cycle_text(first, last, [&](index u) { return g.units_[u].id; })));
    });
    for (index i = 0; i < g.units_.size(); ++i) {
      const unit_refs& refs = unit_refs_[i];
      const unit& u = g.units_[i];
      if (refs.root) {
        check_root(i);
      } else if (refs.parent != nullptr && u.kind != no_code && u.kind == pemerintah_daerah) {
        errors.add(section::units, i, field::parent, none, msg("org.pemda-has-parent"));
      } else if (u.instansi != none && roots[i] != none && unit_refs_[roots[i]].root) {
        const unit& root = g.units_[roots[i]];
        if (root.instansi != none && root.instansi != u.instansi) {
          errors.add(section::units, i, field::instansi, none,
                     msg("org.other-instansi", quote(root.id), quote(g.instansi_[root.instansi].id),
                         quote(g.instansi_[u.instansi].id)));
        }
      }
    }
    if (!units_ok_) return;
    for (index i = 0; i < g.instansi_.size(); ++i) {
      const instansi& x = g.instansi_[i];
      if (x.root_unit != none || x.id.empty() || instansi_ids_.at(std::string(x.id)) != i) continue;
      errors.add(section::instansi, i, field::none, none, msg("org.no-root", quote(x.id)));
    }
  }

  void check_root(index i) {
    const unit& u = g.units_[i];
    if (u.kind != no_code && u.kind != pemerintah_daerah) {
      errors.add(section::units, i, field::parent, none, msg("org.root-not-pemda", quote(vocab.name(u.kind))));
    }
    if (unit_refs_[i].instansi_absent) {
      errors.add(section::units, i, field::instansi, none, msg("org.root-needs-instansi"));
      return;
    }
    if (u.instansi == none) return;  // broken reference, reported
    instansi& x = g.instansi_[u.instansi];
    if (x.root_unit == none) {
      x.root_unit = i;
    } else {
      errors.add(section::units, i, field::instansi, none,
                 msg("org.second-root", quote(x.id), quote(g.units_[x.root_unit].id)));
    }
  }

  // A unit's head is the position that leads it, so it sits in it: a head
  // from another unit would make the wrong official the Pimpinan Unit Organisasi.
  void check_heads() {
    for (index i = 0; i < g.units_.size(); ++i) {
      const index head = g.units_[i].head;
      if (head == none) continue;
      const position& p = g.positions_[head];
      if (p.unit == none || p.unit == i) continue;
      errors.add(section::units, i, field::head, none,
                 msg("org.head-outside-unit", quote(p.id), quote(g.units_[p.unit].id)));
    }
  }

  void check_atasan_forest() {
    (void)find_roots(g.positions_.build(), &position::atasan, [&](auto first, auto last) {
      errors.add(section::positions, *std::min_element(first, last), field::atasan, none,
                 msg("org.cycle", cycle_text(first, last, [&](index p) { return g.positions_[p].id; })));
    });
  }
};

// The freezing steps of freezer::freeze.
}  // namespace perwal::org
