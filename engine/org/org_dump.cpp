// org_graph::canonical_dump: every field, index and edge as text, so that
// tests can compare two loads of one org line by line.
#include <boost/range/iterator_range.hpp>
#include <sstream>

#include "engine/org/org.hpp"

namespace perwal::org {

namespace {

void put_index(std::ostream& out, index i) {
  if (i == none) {
    out << '-';
  } else {
    out << i;
  }
}

void put_tags(std::ostream& out, tag_list tags) {
  out << " tags=[";
  for (const std::string_view t : tags) out << t << ';';
  out << ']';
}

template <class Seq>
void put_list(std::ostream& out, const char* name, const Seq& seq) {
  out << name << ':';
  for (const auto x : seq) {
    out << ' ';
    put_index(out, static_cast<index>(x));
  }
  out << '\n';
}

}  // namespace

std::string org_graph::canonical_dump() const {
  std::ostringstream out;
  for (index i = 0; i < instansi_.size(); ++i) {
    const instansi& x = instansi_[i];
    out << "instansi " << i << " id=" << x.id << " name=" << x.name << " pejabat=";
    put_index(out, x.pejabat_berwenang);
    out << " root=";
    put_index(out, x.root_unit);
    out << '\n';
  }
  for (index i = 0; i < units_.size(); ++i) {
    const unit& u = units_[i];
    out << "unit " << i << " id=" << u.id << " name=" << u.name << " kind=" << u.kind << " parent=";
    put_index(out, u.parent);
    out << " head=";
    put_index(out, u.head);
    put_tags(out, u.tags);
    out << " instansi=" << u.instansi << " pd=";
    put_index(out, u.perangkat_daerah);
    out << " uo=";
    put_index(out, u.unit_organisasi);
    out << " depth=" << u.depth << " pre=" << u.pre << " post=" << u.post << " find=" << find_unit(u.id);
    const auto [first, last] = positions_under(i);
    put_list(out, " under", std::vector<index>(first, last));
  }
  for (index i = 0; i < positions_.size(); ++i) {
    const position& p = positions_[i];
    out << "position " << i << " id=" << p.id << " title=" << p.title << " kind=" << p.kind << " jenis=" << p.jenis
        << " jenjang=" << p.jenjang << " unit=" << p.unit << " atasan=";
    put_index(out, p.atasan);
    put_tags(out, p.tags);
    out << " depth=" << p.depth << " pre=" << p.pre << " post=" << p.post << " heads=";
    put_index(out, p.heads);
    out << " pd=";
    put_index(out, p.perangkat_daerah);
    out << " pd_kind=" << p.pd_kind << " receives_delegation=" << p.receives_delegation << " pimpinan_unit=";
    put_index(out, p.pimpinan_unit);
    out << " id_in_record=" << (p.id.data() == p.id_inline.data());
    out << " find=" << find_position(p.id) << " employee=";
    put_index(out, employee_of(i));
    put_list(out, " delegations", delegations_to(i));
    put_list(out, " teams", teams_of(i));
  }
  // The atasan hints beside the position id table's slots: each must name
  // the atasan of the position in its slot.
  std::size_t hints_off = position_slot_atasan_.size() == position_ids_.slot_count() ? 0 : 1;
  for (std::size_t s = 0; hints_off == 0 && s < position_slot_atasan_.size(); ++s) {
    const index k = position_ids_.item_at(s);
    hints_off += position_slot_atasan_[s] != (k == none ? none : positions_[k].atasan) ? 1 : 0;
  }
  out << "position slot hints off: " << hints_off << '\n';
  for (index i = 0; i < employees_.size(); ++i) {
    const employee& e = employees_[i];
    out << "employee " << i << " nip=" << e.nip << " name=" << e.name << " position=" << e.position
        << " sebagai=" << acting_name(e.as) << " find=" << find_position(e.nip) << '\n';
  }
  for (index i = 0; i < delegations_.size(); ++i) {
    const delegation& d = delegations_[i];
    out << "delegation " << i << " from=" << d.from << " to=" << d.to << " authority=" << d.authority
        << " basis=" << d.basis << " extra=" << d.extra.dump() << " path=" << d.json_path << '\n';
  }
  for (index i = 0; i < teams_.size(); ++i) {
    const team& t = teams_[i];
    out << "team " << i << " id=" << t.id << " name=" << t.name << " owner=" << t.owner_unit << " by=";
    put_index(out, t.established_by);
    out << " ketua=";
    put_index(out, t.ketua);
    out << " sasaran=" << t.target.sasaran << " indikator=" << t.target.indikator
        << " nilai=" << t.target.nilai.get().dump() << " extra=" << t.extra.get().dump() << " path=" << t.json_path
        << " find=" << find_team(t.id);
    put_list(out, " anggota", t.anggota);
  }
  for (index k = 0; k < unit_by_pre_.size(); ++k) {
    const index u = unit_by_pre_[k];
    out << "pre " << k << " unit=" << u;
    for (index i = 0; i < instansi_.size(); ++i) {
      const index found = unit_of_kind(i, units_[u].kind);
      if (found != none) out << " kind-in-" << i << '=' << found;
    }
    out << '\n';
  }
  const graph_type& gr = graph();
  out << "vertices " << boost::num_vertices(gr) << '\n';
  for (std::uint32_t v = 0; v < boost::num_vertices(gr); ++v) {
    out << "v " << v << ' ' << static_cast<int>(gr[v].kind) << ' ' << gr[v].item << " out:";
    for (const auto e : boost::make_iterator_range(boost::out_edges(v, gr))) {
      out << ' ' << boost::target(e, gr) << '/' << static_cast<int>(gr[e].kind);
    }
    out << " in:";
    for (const auto e : boost::make_iterator_range(boost::in_edges(v, gr))) {
      out << ' ' << boost::source(e, gr) << '/' << static_cast<int>(gr[e].kind);
    }
    out << '\n';
  }
  return out.str();
}

}  // namespace perwal::org
