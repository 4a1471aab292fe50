// Org files: load_file (a snapshot or JSON, by magic) and the compiled
// snapshot format (docs/snapshot.md).
//
// A snapshot is the frozen org_graph written as flat arrays: the string
// table, the tag table, fixed-size records, the precomputed indices and the
// id tables' slots as they are in memory. The sections tile the payload,
// each aligned for its elements with zero padding between, each with its
// own checksum, and the header's checksum covers the section table, so
// every byte of the file is checked. Units, positions, employees and tags
// are the engine's own structs, prelinked: their pointers are right when the file
// is mapped at the address its header names. Loading maps it there if that
// range is free and then uses them where they lie (else copies and
// relocates them); the smaller records (instansi, delegations, teams) hold
// strings as (offset, length) and are converted. The org keeps the mapping alive. No
// parsing (a team's JSON is checked, and parsed when first read), no
// rehashing, no graph (built from the records when first asked for). Every
// index, code, string and tag list read from the file is checked before
// use, so even a forged file with valid checksums cannot make a query read
// out of bounds — unless this user verified the very same file in full
// before and it has not been written since (verified_snapshots.hpp): then
// the records are used unchecked, and a load only maps the file and
// converts the small records.
//
// The format's pieces (checksum, header, records, the file mapping) are in
// snapshot_format.hpp; here: writing the org into them and reading it back.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <latch>
#include <optional>
#include <span>
#include <system_error>
#include <thread>

#include "engine/common/json_input.hpp"
#include "engine/org/org.hpp"
#include "engine/org/org_build.hpp"
#include "engine/org/snapshot_format.hpp"
#include "engine/org/stream_scanner.hpp"
#include "engine/org/verified_snapshots.hpp"

namespace perwal::org {

using namespace snapshot_detail;

void prefer_huge_pages(const void* p, std::size_t bytes) {
  constexpr std::size_t huge = std::size_t{2} << 20;
  if (bytes < 2 * huge) return;
  const auto begin = (reinterpret_cast<std::uintptr_t>(p) + huge - 1) / huge * huge;
  const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes) / huge * huge;
  if (end > begin) (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

std::uint64_t snapshot_detail::record_layout() {
  std::string text;
  const auto put = [&text](std::uint64_t v) { text.append(reinterpret_cast<const char*>(&v), sizeof v); };
  for (const std::uint64_t v : {sizeof(position),
                                alignof(position),
                                offsetof(position, id),
                                offsetof(position, kind),
                                offsetof(position, jenis),
                                offsetof(position, jenjang),
                                offsetof(position, pd_kind),
                                offsetof(position, unit),
                                offsetof(position, atasan),
                                offsetof(position, heads),
                                offsetof(position, perangkat_daerah),
                                offsetof(position, receives_delegation),
                                offsetof(position, pimpinan_unit),
                                offsetof(position, id_inline),
                                offsetof(position, title),
                                offsetof(position, tags),
                                offsetof(position, depth),
                                offsetof(position, pre),
                                offsetof(position, post),
                                sizeof(unit),
                                alignof(unit),
                                offsetof(unit, id),
                                offsetof(unit, name),
                                offsetof(unit, kind),
                                offsetof(unit, parent),
                                offsetof(unit, head),
                                offsetof(unit, tags),
                                offsetof(unit, instansi),
                                offsetof(unit, perangkat_daerah),
                                offsetof(unit, unit_organisasi),
                                offsetof(unit, depth),
                                offsetof(unit, pre),
                                offsetof(unit, post),
                                sizeof(employee),
                                alignof(employee),
                                offsetof(employee, nip),
                                offsetof(employee, name),
                                offsetof(employee, position),
                                offsetof(employee, as),
                                sizeof(std::string_view),
                                sizeof(tag_list)})
    put(v);
  // where a string_view and a span keep their pointer and their length
  const std::string_view view(reinterpret_cast<const char*>(std::uintptr_t{0x0102030405060708}), 0x111213141516);
  const tag_list span(reinterpret_cast<const std::string_view*>(std::uintptr_t{0x0203040506070800}), 0x212223242526);
  text.append(reinterpret_cast<const char*>(&view), sizeof view);
  text.append(reinterpret_cast<const char*>(&span), sizeof span);
  return checksum(text.data(), text.size());
}

namespace {
// Memory about to be written whole: every page faulted in by one call
// (MADV_POPULATE_WRITE, Linux 5.14) rather than one trap per page; ignored
// where unsupported. No huge-page hint here: on a host whose memory is
// fragmented (a big page cache) it makes the kernel compact memory first,
// measured at seconds of system time for these 0.8 GB, far more than the
// TLB saves.
void prepare_for_writing(const void* p, std::size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = (reinterpret_cast<std::uintptr_t>(p) + page - 1) / page * page;
  const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes) / page * page;
  if (end > begin) (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#endif
}
// Writes a new file in blocks of 2 MiB at offsets that are multiples of
// 2 MiB (the last one shorter), so that every 2 MiB of it can become one
// page-cache folio (whether it does is the kernel's choice: free memory) and
// a load maps each with one page-table entry. Touching all 1.74 GB of the
// national snapshot in a fresh process took 17–38 ms in 2 MiB folios and
// 0.40–0.87 s in 4 KiB ones: on a virtual machine every first touch of a
// page-table entry traps to the hypervisor. A stream, whose writes end
// wherever a section does, left ~30 MB of the file in small folios.
class block_writer {
 public:
  static constexpr std::size_t block = std::size_t{2} << 20;

  explicit block_writer(const std::string& path)
      : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)), ok_(fd_ >= 0) {
    buffer_.reserve(block);
  }
  ~block_writer() {
    if (fd_ >= 0) ::close(fd_);
  }
  block_writer(const block_writer&) = delete;
  block_writer& operator=(const block_writer&) = delete;

  void write(const char* p, std::size_t n) {
    while (n > 0 && ok_) {
      if (buffer_.empty() && n >= block) {  // whole blocks straight from the caller's memory
        const std::size_t whole = n / block * block;
        write_all(p, whole);
        p += whole;
        n -= whole;
        continue;
      }
      const std::size_t take = std::min(n, block - buffer_.size());
      buffer_.insert(buffer_.end(), p, p + take);
      p += take;
      n -= take;
      if (buffer_.size() == block) flush();
    }
  }
  // Writes what is left and closes; false if anything failed.
  [[nodiscard]] bool close() {
    flush();
    if (fd_ >= 0 && ::close(fd_) != 0) ok_ = false;
    fd_ = -1;
    return ok_;
  }

 private:
  void flush() {
    write_all(buffer_.data(), buffer_.size());
    buffer_.clear();
  }
  void write_all(const char* p, std::size_t n) {
    while (n > 0 && ok_) {
      const ssize_t done = ::write(fd_, p, n);
      if (done < 0 && errno == EINTR) continue;
      if (done <= 0) {
        ok_ = false;
        return;
      }
      p += done;
      n -= static_cast<std::size_t>(done);
    }
  }

  int fd_;
  bool ok_;
  std::vector<char> buffer_;
};
}  // namespace

// ---- writing ----

struct snapshot_io {
  // Collects the payload: section data, each aligned to section_align (zero
  // bytes between), and the table.
  struct writer {
    std::vector<section_entry> table;
    std::vector<std::pair<const char*, std::size_t>> bytes;  // each section's data, in table order
    std::uint64_t size = 0;
    std::string strings;
    // record arrays built for writing; they must outlive the write
    std::vector<std::shared_ptr<void>> owned;

    str_ref str(std::string_view s) {
      if (strings.size() + s.size() > 0xFFFFFFFFULL) throw malformed{"the org's strings pass 4 GiB"};
      const str_ref r{static_cast<std::uint32_t>(strings.size()), static_cast<std::uint32_t>(s.size())};
      strings.append(s);
      return r;
    }
    template <class T>
    void add(section_id id, const T* items, std::size_t count) {
      static_assert(alignof(T) <= 32);
      if (const std::uint64_t pad = align_section(size) - size; pad != 0) {
        bytes.emplace_back(zero_pad.data(), pad);
        size += pad;
      }
      const auto* data = reinterpret_cast<const char*>(items);
      const std::size_t n = count * sizeof(T);
      table.push_back({id, sizeof(T), size, count, checksum(data, n)});
      bytes.emplace_back(data, n);
      size += n;
    }
    template <class T>
    void add(section_id id, const std::vector<T>& items) {
      add(id, items.data(), items.size());
    }
    template <class T>
    void add(section_id id, const array_ref<T>& items) {
      add(id, items.data(), items.size());
    }
    // Adds a record array the writer keeps alive.
    template <class T>
    void add_owned(section_id id, std::vector<T> items) {
      auto kept = std::make_shared<std::vector<T>>(std::move(items));
      add(id, *kept);
      owned.push_back(std::move(kept));
    }
  };

  static std::uint32_t tag_first(const org_graph& g, tag_list tags) {
    return tags.empty() ? 0 : static_cast<std::uint32_t>(tags.data() - g.tag_pool_.data());
  }

  // Every section of `g`, ready to write, prelinked for `base` (header::base):
  // the string table comes first and the tag table second, so that the
  // addresses the position, employee and tag records hold are known once the
  // strings are. `table_bytes` is the size of the section table.
  static void sections(const org_graph& g, writer& w, std::uint64_t base, std::uint64_t table_bytes) {
    const std::uint64_t strings_at = base + sizeof(header) + table_bytes;
    const auto linked = [&](std::string_view s) -> std::string_view {
      if (s.empty()) return {};
      return {reinterpret_cast<const char*>(strings_at + w.str(s).offset), s.size()};
    };
    // A title is written once however many positions bear it (the org's
    // strings may hold it once or many times: the file is the same).
    repeated_texts<std::string_view> titles;
    const auto linked_title = [&](std::string_view s) {
      return titles.get(s, [&] { return std::pair{s, linked(s)}; });  // the org's view outlives the writer
    };
    std::vector<instansi_rec> inst;
    for (const instansi& x : g.instansi_) {
      inst.push_back({w.str(x.id), w.str(x.name), x.pejabat_berwenang, x.root_unit});
    }
    // value-initialised (zeroed, then the members' initialisers): padding
    // bytes zero, so equal orgs give equal files
    std::vector<unit> units(g.units_.size());
    for (std::size_t i = 0; i < units.size(); ++i) {
      const unit& u = g.units_[i];
      unit& v = units[i];
      v.id = linked(u.id);
      v.name = linked(u.name);
      v.kind = u.kind;
      v.parent = u.parent;
      v.head = u.head;
      v.instansi = u.instansi;
      v.perangkat_daerah = u.perangkat_daerah;
      v.unit_organisasi = u.unit_organisasi;
      v.depth = u.depth;
      v.pre = u.pre;
      v.post = u.post;
    }
    std::vector<position> positions(g.positions_.size());
    for (std::size_t i = 0; i < positions.size(); ++i) {
      const position& p = g.positions_[i];
      position& q = positions[i];
      if (inline_id(p.id)) {
        // its view is set below, once the records' address is known
        std::copy(p.id.begin(), p.id.end(), q.id_inline.begin());
      } else {
        q.id = linked(p.id);
      }
      q.kind = p.kind;
      q.jenis = p.jenis;
      q.jenjang = p.jenjang;
      q.pd_kind = p.pd_kind;
      q.unit = p.unit;
      q.atasan = p.atasan;
      q.heads = p.heads;
      q.perangkat_daerah = p.perangkat_daerah;
      q.receives_delegation = p.receives_delegation;
      q.pimpinan_unit = p.pimpinan_unit;
      q.title = linked_title(p.title);
      q.depth = p.depth;
      q.pre = p.pre;
      q.post = p.post;
    }
    std::vector<employee> employees(g.employees_.size());
    for (std::size_t i = 0; i < employees.size(); ++i) {
      const employee& e = g.employees_[i];
      employees[i].nip = linked(e.nip);
      employees[i].name = linked(e.name);
      employees[i].position = e.position;
      employees[i].as = e.as;
    }
    std::vector<delegation_rec> delegations;
    for (const delegation& d : g.delegations_) {
      delegations.push_back(
          {d.from, d.to, d.authority, 0, w.str(d.basis), w.str(d.extra.is_null() ? std::string() : d.extra.dump())});
    }
    std::vector<team_rec> teams;
    std::vector<index> anggota;
    for (const team& t : g.teams_) {
      teams.push_back({w.str(t.id), w.str(t.name), t.owner_unit, t.established_by, t.ketua,
                       static_cast<std::uint32_t>(anggota.size()), static_cast<std::uint32_t>(t.anggota.size()),
                       w.str(t.target.sasaran), w.str(t.target.indikator), w.str(t.target.nilai.get().dump()),
                       w.str(t.extra.get().dump())});
      anggota.insert(anggota.end(), t.anggota.begin(), t.anggota.end());
    }
    std::vector<std::string_view> tags(g.tag_pool_.size());
    for (std::size_t k = 0; k < tags.size(); ++k) tags[k] = linked(g.tag_pool_[k]);
    // every string is in: the tag table's place is known
    const std::uint64_t tags_at = strings_at + align_section(w.strings.size());
    const auto linked_tags = [&](tag_list t) -> tag_list {
      if (t.empty()) return {};
      return {reinterpret_cast<const std::string_view*>(tags_at + tag_first(g, t) * sizeof(std::string_view)),
              t.size()};
    };
    for (std::size_t i = 0; i < units.size(); ++i) units[i].tags = linked_tags(g.units_[i].tags);
    for (std::size_t i = 0; i < positions.size(); ++i) positions[i].tags = linked_tags(g.positions_[i].tags);
    std::vector<kind_rec> kinds;
    for (const auto& [key, u] : g.unit_of_kind_) kinds.push_back({key, u, 0});
    std::sort(kinds.begin(), kinds.end(), [](const kind_rec& a, const kind_rec& b) { return a.key < b.key; });

    w.add(s_strings, w.strings.data(), w.strings.size());
    w.add_owned(s_tags, std::move(tags));
    w.add_owned(s_instansi, std::move(inst));
    w.add_owned(s_units, std::move(units));
    // A short id views its record's own bytes, where the record will lie.
    const std::uint64_t positions_at = strings_at + align_section(w.size);
    for (std::size_t i = 0; i < positions.size(); ++i) {
      if (const std::string_view id = g.positions_[i].id; inline_id(id))
        positions[i].id = {
            reinterpret_cast<const char*>(positions_at + i * sizeof(position) + offsetof(position, id_inline)),
            id.size()};
    }
    w.add_owned(s_positions, std::move(positions));
    w.add_owned(s_employees, std::move(employees));
    w.add_owned(s_delegations, std::move(delegations));
    w.add_owned(s_teams, std::move(teams));
    w.add_owned(s_anggota, std::move(anggota));
    w.add(s_positions_by_unit_pre, g.positions_by_unit_pre_);
    w.add(s_unit_first_pos, g.unit_first_pos_);
    w.add(s_unit_last_pos, g.unit_last_pos_);
    w.add(s_unit_by_pre, g.unit_by_pre_);
    w.add(s_delegation_first, g.delegation_first_);
    w.add(s_team_first, g.team_first_);
    w.add(s_delegation_list, g.delegation_list_);
    w.add(s_team_list, g.team_list_);
    w.add(s_employee_by_position, g.employee_by_position_);
    w.add_owned(s_unit_of_kind, std::move(kinds));
    w.add(s_unit_ids, g.unit_ids_.slots_);
    w.add(s_position_ids, g.position_ids_.slots_);
    w.add(s_team_ids, g.team_ids_.slots_);
    w.add(s_nips, g.nips_.slots_);
    w.add(s_position_slot_atasan, g.position_slot_atasan_);
    if (w.table.size() != section_count_ - 1) throw malformed{"section count"};
  }

  // ---- reading ----

  // The sections of a mapped snapshot, used where they lie.
  struct reader {
    const char* payload;  // the first section, in the mapping
    std::array<section_entry, section_count_> sections{};
    // Where the payload is when the file is mapped at header::base: the
    // prelinked records' pointers are right as they lie when it is there.
    std::uint64_t linked_payload = 0;
    [[nodiscard]] bool in_place() const { return reinterpret_cast<std::uintptr_t>(payload) == linked_payload; }

    void index_sections(const std::vector<section_entry>& table, std::uint64_t payload_size) {
      std::uint64_t next = 0;  // sections tile the payload, in order, with zero padding between: every byte checked
      for (const section_entry& e : table) {
        if (e.id == 0 || e.id >= section_count_ || sections[e.id].id != 0) throw malformed{"bad section table"};
        const std::uint64_t start = align_section(next);
        if (e.offset != start || start > payload_size || e.elem_size == 0 ||
            e.count > (payload_size - start) / e.elem_size) {
          throw malformed{"section " + std::to_string(e.id) + " lies outside the file"};
        }
        for (std::uint64_t k = next; k < start; ++k) {
          if (payload[k] != 0) throw corrupt{};
        }
        next = start + e.count * e.elem_size;
        sections[e.id] = e;
      }
      if (next != payload_size) throw malformed{"bytes outside every section"};
      for (std::uint32_t id = 1; id < section_count_; ++id) {
        if (sections[id].id == 0) throw malformed{"section " + std::to_string(id) + " missing"};
      }
    }

    // Every section's checksum, computed by whoever calls work(): a helper
    // thread from the start of the read and the reading thread once it has
    // converted the records, so hashing overlaps the conversion instead of
    // preceding it. Sections are taken whole, largest first.
    struct verifier {
      std::vector<const section_entry*> order;
      const char* payload;
      std::atomic<std::size_t> next{0};
      std::atomic<bool> bad{false};

      explicit verifier(const reader& r) : payload(r.payload) {
        for (std::uint32_t id = 1; id < section_count_; ++id) order.push_back(&r.sections[id]);
        std::sort(order.begin(), order.end(), [](const section_entry* x, const section_entry* y) {
          return x->count * x->elem_size > y->count * y->elem_size;
        });
      }
      void work() {
        for (std::size_t k = next++; k < order.size(); k = next++) {
          const section_entry* e = order[k];
          if (checksum(payload + e->offset, e->count * e->elem_size) != e->checksum) bad = true;
        }
      }
    };

    [[nodiscard]] const section_entry& entry(section_id id, std::size_t elem_size) const {
      const section_entry& e = sections[id];
      if (e.elem_size != elem_size) throw malformed{"section " + std::to_string(id) + " has records of another size"};
      return e;
    }

    // A section's elements in the mapping (their checksum is verified
    // before the org is handed out: read_verified).
    template <class T>
    [[nodiscard]] std::span<const T> get(section_id id) const {
      const section_entry& e = entry(id, sizeof(T));
      const char* p = payload + e.offset;
      if (reinterpret_cast<std::uintptr_t>(p) % alignof(T) != 0) throw malformed{"misaligned section"};
      return {reinterpret_cast<const T*>(p), static_cast<std::size_t>(e.count)};
    }
    template <class T>
    void view(section_id id, array_ref<T>& out) const {
      const auto items = get<T>(id);
      out.view(items.data(), items.size());
    }
  };

  static void check(bool ok, const char* what) {
    if (!ok) throw malformed{what};
  }

  // An index field: below `n`, or none where allowed.
  static index checked(std::uint32_t i, std::size_t n, bool may_be_none, const char* what) {
    if (i == none && may_be_none) return none;
    check(i < n, what);
    return i;
  }

  // Reads the sections into `g`, their checksums verified alongside: a
  // mismatch anywhere is `corrupt` (even when the content also failed a
  // range check), and only a file whose checksums all hold can be
  // `malformed`. Nothing read is used before read() returns.
  //
  // Two threads share the work: a helper does the side checks (below) and
  // then hashes, while this one reads the records into `g` and then hashes
  // what is left. The load's time is the longer of the two.
  //
  // `on_record`: this user verified the same, unchanged file in full
  // before (verified_snapshots.hpp) and it is mapped where it was prelinked
  // for: nothing is hashed or checked again, only what a load builds is built.
  static void read_verified(const reader& r, org_graph& g, const vocabulary& vocab, bool on_record) {
    if (on_record) {
      read(r, g, vocab, nullptr);
      g.snapshot_checked_ = org_graph::snapshot_check::on_record;
      return;
    }
    reader::verifier v(r);
    side_checks side(r, g);
    std::optional<std::thread> helper;
    try {
      helper.emplace([&v, &side] {
        side.run();
        v.work();
      });
    } catch (const std::system_error&) {
      side.run();  // no thread to be had: this one does everything, in turn
    }
    struct joiner {
      std::optional<std::thread>& t;
      ~joiner() {
        if (t && t->joinable()) t->join();
      }
    } join_at_exit{helper};
    std::optional<malformed> failed;
    try {
      read(r, g, vocab, &side);
    } catch (const malformed& m) {
      failed = m;
    }
    v.work();
    if (helper) helper->join();
    if (v.bad) throw corrupt{};
    if (failed) throw *failed;
    side.rethrow();
    g.snapshot_checked_ = org_graph::snapshot_check::in_full;
  }

  // A string_view or tag span of a prelinked record: checked to lie inside
  // its table as the file says it would at header::base, and the view of
  // it where the table really is (the same pointer when mapped there).
  struct linker {
    std::uint64_t strings_linked = 0, tags_linked = 0;
    const char* strings = nullptr;
    std::size_t strings_size = 0;
    const std::string_view* tags = nullptr;  // the tag table in use (mapped or relocated)
    std::size_t tag_count = 0;

    [[nodiscard]] bool boundary(std::size_t at) const {
      return at == strings_size || (static_cast<unsigned char>(strings[at]) & 0xC0) != 0x80;
    }
    // `size` bytes from `at` in the string table, checked.
    [[nodiscard]] std::string_view slice(std::uint64_t at, std::size_t size) const {
      check(at <= strings_size && size <= strings_size - at, "string outside the string table");
      check(size == 0 || (boundary(at) && boundary(at + size)), "string not UTF-8");
      return size == 0 ? std::string_view{} : std::string_view(strings + at, size);
    }
    // A record's (offset, length).
    [[nodiscard]] std::string_view str(str_ref s) const { return slice(s.offset, s.size); }
    // A prelinked string_view.
    [[nodiscard]] std::string_view str(std::string_view s) const {
      if (s.empty()) {
        check(s.data() == nullptr, "empty string with an address");
        return {};
      }
      return slice(reinterpret_cast<std::uintptr_t>(s.data()) - strings_linked, s.size());  // wraps when below
    }
    [[nodiscard]] tag_list tag_span(tag_list t) const {
      if (t.empty()) {
        check(t.data() == nullptr, "empty tag list with an address");
        return {};
      }
      const std::uint64_t at = reinterpret_cast<std::uintptr_t>(t.data()) - tags_linked;
      check(at % sizeof(std::string_view) == 0, "tags outside the tag table");
      const std::uint64_t first = at / sizeof(std::string_view);
      check(first <= tag_count && t.size() <= tag_count - first, "tags outside the tag table");
      return {tags + first, t.size()};
    }
  };

  // No byte above 0x7F: a short id, checked without a call per record.
  static bool is_ascii(std::string_view s) {
    unsigned char any = 0;
    for (const char c : s) any |= static_cast<unsigned char>(c);
    return any < 0x80;
  }

  // A byte of a record that the struct holds as a bool or an enum: read as
  // a byte (a bool that is neither 0 nor 1 must never be read as one).
  template <class T>
  static std::uint8_t byte_of(std::span<const T> records, std::size_t i, std::size_t field) {
    std::uint8_t b = 0;
    std::memcpy(&b, reinterpret_cast<const char*>(records.data() + i) + field, 1);
    return b;
  }

  // A linker for the string table alone (the tag table is read later).
  static linker strings_linker(const reader& r) {
    const auto strings = r.get<char>(s_strings);
    linker link;
    link.strings_linked = r.linked_payload + r.sections[s_strings].offset;
    link.strings = strings.data();
    link.strings_size = strings.size();
    return link;
  }

  // The checks that need nothing read() builds, run by the helper thread
  // while read() runs: the employee records (read() waits for them before
  // it counts the vertices) and the indices over them, the teams' JSON
  // texts and the string table's UTF-8 (each string's own bounds and
  // character boundaries are the linker's). The first failure is kept for
  // read_verified to report once both threads are done.
  struct side_checks {
    const reader& r;
    org_graph& g;
    std::latch employees_read{1};

    side_checks(const reader& r_, org_graph& g_) : r(r_), g(g_) {}

    void run() {
      std::size_t definitive = 0;  // employees holding their position definitively
      employees.run(r, [&](const linker& link) { definitive = read_employees(r, g, link); });
      employees_read.count_down();
      if (!employees.ok()) return;
      rest.run(r, [&](const linker& link) {
        read_employee_indices(r, g, definitive);
        check_team_json(r, link);
        check(json_input::is_valid_utf8(std::string_view(link.strings, link.strings_size)), "string table not UTF-8");
      });
    }
    // For read(): the employees are read (g.employees_ is whole), or their failure thrown.
    void wait_for_employees() {
      employees_read.wait();
      employees.rethrow();
    }
    // After both threads are done.
    void rethrow() const {
      employees.rethrow();
      rest.rethrow();
    }

   private:
    // A stage's outcome; each has its own, as read() may look at the first
    // while the helper thread runs the second.
    struct stage {
      std::optional<malformed> failed;
      std::exception_ptr error;  // anything else (out of memory)
      template <class Fn>
      void run(const reader& file, Fn&& fn) {
        try {
          fn(strings_linker(file));
        } catch (const malformed& m) {
          failed = m;
        } catch (...) {
          error = std::current_exception();
        }
      }
      [[nodiscard]] bool ok() const { return !failed && !error; }
      void rethrow() const {
        if (failed) throw *failed;
        if (error) std::rethrow_exception(error);
      }
    };
    stage employees, rest;
  };

  // The employee records, checked where they lie (and used there when the
  // file is mapped at its base) or relocated; returns how many hold their
  // position definitively.
  static std::size_t read_employees(const reader& r, org_graph& g, const linker& link) {
    const auto employees = r.get<employee>(s_employees);
    const std::size_t np = r.get<position>(s_positions).size(), ne = employees.size();
    std::size_t definitive = 0;
    for (std::size_t i = 0; i < ne; ++i) {
      const employee& x = employees[i];
      check(byte_of(employees, i, offsetof(employee, as)) <= static_cast<std::uint8_t>(acting::plh), "employee acting");
      (void)link.str(x.nip);
      (void)link.str(x.name);
      (void)checked(x.position, np, false, "employee position");
      definitive += x.as == acting::definitif ? 1 : 0;
    }
    place(employees, g.employees_, r.in_place(), [&link](employee& e) {
      e.nip = link.str(e.nip);
      e.name = link.str(e.name);
    });
    return definitive;
  }

  // Every team's target value (any JSON) and extra fields (an object), as
  // checked_json requires; read() keeps them as text, parsed when first read.
  static void check_team_json(const reader& r, const linker& link) {
    for (const team_rec& x : r.get<team_rec>(s_teams)) {
      (void)checked_json(link.str(x.nilai), false, "team JSON");
      (void)checked_json(link.str(x.extra), true, "team JSON");
    }
  }

  // `side`: the helper's checks, which read() waits for; null for a file on
  // record (read_verified), whose records are then viewed unchecked.
  static void read(const reader& r, org_graph& g, const vocabulary& vocab, side_checks* side) {
    const bool verify = side != nullptr;
    // A code read from the file must be one of its category (the vocabulary
    // hash matched, so the numbering is the ruleset's).
    const auto code_in = [&vocab](code c, category cat, bool may_be_none, const char* what) {
      check((c == no_code && may_be_none) || (c < vocab.size() && vocab.contains(cat, c)), what);
      return c;
    };
    const bool in_place = r.in_place();

    const auto inst = r.get<instansi_rec>(s_instansi);
    const auto units = r.get<unit>(s_units);
    const auto positions = r.get<position>(s_positions);
    const std::size_t ni = inst.size(), nu = units.size(), np = positions.size();

    linker link = strings_linker(r);
    link.tags_linked = r.linked_payload + r.sections[s_tags].offset;
    const auto str = [&link](str_ref s) { return link.str(s); };
    const auto tag_table = r.get<std::string_view>(s_tags);
    if (in_place) {
      if (verify)
        for (const std::string_view t : tag_table) (void)link.str(t);
      g.tag_pool_.view(tag_table.data(), tag_table.size());
    } else {
      auto& pool = g.tag_pool_.build();
      pool.reserve(tag_table.size());
      for (const std::string_view t : tag_table) pool.push_back(link.str(t));
    }
    link.tags = g.tag_pool_.data();
    link.tag_count = g.tag_pool_.size();

    g.instansi_.resize(ni);
    for (std::size_t i = 0; i < ni; ++i) {
      const instansi_rec& x = inst[i];
      g.instansi_[i] = {str(x.id), str(x.name), checked(x.pejabat, np, true, "instansi pejabat"),
                        checked(x.root, nu, false, "instansi root")};
    }
    read_units(units, g, link, code_in, in_place, ni, np, verify);
    read_delegation_index(r, g, np, r.get<delegation_rec>(s_delegations).size(), verify);
    read_positions(positions, r.linked_payload + r.sections[s_positions].offset, g, link, code_in, in_place, verify);
    read_delegations_and_teams(r, g, str, code_in);
    read_indices(r, g, verify);
    if (side) {
      side->wait_for_employees();
    } else {
      const auto employees = r.get<employee>(s_employees);
      g.employees_.view(employees.data(), employees.size());
      read_employee_indices(r, g, 0, false);  // (`definitive` is for the check of the NIP table)
    }
    freezer::number_vertices(g);
    g.graph_deferred_ = true;
  }

  // The unit records, checked where they lie (and used there when the file
  // is mapped at its base) or relocated into an array of their own.
  template <class CodeIn>
  static void read_units(std::span<const unit> records, org_graph& g, const linker& link, CodeIn&& code_in,
                         bool in_place, std::size_t ni, std::size_t np, bool verify) {
    const std::size_t nu = records.size();
    if (verify) {
      for (const unit& x : records) {
        (void)link.str(x.id);
        (void)link.str(x.name);
        (void)link.tag_span(x.tags);
        (void)code_in(x.kind, category::unit_kind, false, "unit kind");
        check(one_deeper(records, x, checked(x.parent, nu, true, "unit parent")), "unit parents");
        (void)checked(x.head, np, true, "unit head");
        (void)checked(x.instansi, ni, false, "unit instansi");
        (void)checked(x.perangkat_daerah, nu, true, "unit perangkat daerah");
        (void)checked(x.unit_organisasi, nu, true, "unit organisasi");
        (void)checked(x.pre, nu, false, "unit pre-order");
        (void)checked(x.post, nu, false, "unit post-order");
      }
    }
    place(records, g.units_, in_place, [&link](unit& u) {
      u.id = link.str(u.id);
      u.name = link.str(u.name);
      u.tags = link.tag_span(u.tags);
    });
  }

  // The position records, checked where they lie (and used there when the
  // file is mapped at its base) or relocated into an array of their own.
  // `linked_at`: where the file says the records lie (header::base).
  template <class CodeIn>
  static void read_positions(std::span<const position> records, std::uint64_t linked_at, org_graph& g,
                             const linker& link, CodeIn&& code_in, bool in_place, bool verify) {
    const std::size_t nu = g.units_.size(), np = records.size();
    if (verify) {
      for (std::size_t i = 0; i < np; ++i) {
        const position& x = records[i];
        check(byte_of(records, i, offsetof(position, receives_delegation)) <= 1, "position receives_delegation");
        if (inline_id(x.id)) {
          check(reinterpret_cast<std::uintptr_t>(x.id.data()) ==
                    linked_at + i * sizeof(position) + offsetof(position, id_inline),
                "position id outside its record");
          const std::string_view id(x.id_inline.data(), x.id.size());
          check(is_ascii(id) || json_input::is_valid_utf8(id), "string not UTF-8");
        } else {
          (void)link.str(x.id);
        }
        (void)link.str(x.title);
        (void)link.tag_span(x.tags);
        (void)code_in(x.kind, category::position_kind, false, "position kind");
        (void)code_in(x.jenis, category::jenis, false, "position jenis");
        (void)code_in(x.jenjang, category::jenjang, true, "position jenjang");
        (void)checked(x.unit, nu, false, "position unit");
        check(one_deeper(records, x, checked(x.atasan, np, true, "position atasan")), "atasan chains");
        (void)checked(x.pre, np, false, "position pre-order");
        (void)checked(x.post, np, false, "position post-order");
        (void)checked(x.heads, nu, true, "position heads");
        // what a JSON load copies from the unit's record and the delegations, copied alike
        const index pd = g.units_[x.unit].perangkat_daerah;
        check(x.perangkat_daerah == pd && x.pd_kind == (pd != none ? g.units_[pd].kind : no_code),
              "position perangkat daerah");
        check(x.receives_delegation == (g.delegation_first_[i + 1] > g.delegation_first_[i]),
              "position receives_delegation");
        check(x.pimpinan_unit == g.pimpinan_of_unit(x.unit), "position pimpinan unit");
      }
    }
    place(records, g.positions_, in_place, [&link](position& p) {
      p.id = inline_id(p.id) ? std::string_view(p.id_inline.data(), p.id.size()) : link.str(p.id);
      p.title = link.str(p.title);
      p.tags = link.tag_span(p.tags);
    });
  }

  // Prelinked records, all checked: viewed where they lie when the file is
  // mapped at its base (`in_place`), else copied, `relink` moving each
  // copy's views to where the string and tag tables really are.
  template <class T, class Relink>
  static void place(std::span<const T> records, array_ref<T>& out, bool in_place, Relink&& relink) {
    if (in_place) {
      out.view(records.data(), records.size());
      return;
    }
    auto& own = out.build();
    own.reserve(records.size());
    prepare_for_writing(own.data(), records.size() * sizeof(T));
    for (const T& x : records) relink(own.emplace_back(x));
  }

  // Each node one deeper than its parent (`up`, in range) and roots at
  // depth 0: then no chain is a cycle, and walks up a chain (atasan_chain,
  // common_unit, the evaluator's) end. Checked in the records' own pass.
  template <class Node>
  static bool one_deeper(std::span<const Node> nodes, const Node& x, index up) {
    return up == none ? x.depth == 0 : x.depth == nodes[up].depth + 1;
  }

  // A JSON text the writer dumped (so no key twice: a forged file's
  // duplicates would only be taken last), with bounded nesting (a forged
  // file must not overflow the stack later); `object`: an object's.
  static std::string_view checked_json(std::string_view text, bool object, const char* what) {
    check((!object || text.starts_with('{')) && valid_json(text), what);
    return text;
  }
  // One JSON value nlohmann accepts, nested at most json_input::max_depth
  // deep. Nationally 72k texts, mostly tiny ("{}", a number), for which
  // nlohmann's per-call setup was most of the cost: the org reader's own
  // tokenizer (which accepts only what nlohmann does, nested at most 16
  // deep) decides those; what it gives up on goes to nlohmann.
  static bool valid_json(std::string_view text) {
    static_assert(stream_detail::scanner::max_skip_depth <= json_input::max_depth);
    try {
      stream_detail::scanner tokens(text, nullptr);
      tokens.skip_value();
      if (tokens.at_end()) return true;
    } catch (const stream_detail::give_up&) {
      // deeper than it tracks, a key twice, or not JSON: nlohmann decides
    }
    return !json_input::too_deep_at(text) && nlohmann::json::accept(text.begin(), text.end());
  }
  static nlohmann::json object_of(std::string_view text, const char* what) {
    return nlohmann::json::parse(checked_json(text, true, what));
  }

  template <class Str, class CodeIn>
  static void read_delegations_and_teams(const reader& r, org_graph& g, Str&& str, CodeIn&& code_in) {
    const std::size_t nu = g.units_.size(), np = g.positions_.size();
    const auto dels = r.get<delegation_rec>(s_delegations);
    g.delegations_.resize(dels.size());
    for (std::size_t i = 0; i < dels.size(); ++i) {
      const delegation_rec& x = dels[i];
      delegation& d = g.delegations_[i];
      d.from = checked(x.from, np, false, "delegation from");
      d.to = checked(x.to, np, false, "delegation to");
      d.authority = code_in(x.authority, category::authority, false, "delegation authority");
      d.basis = str(x.basis);
      if (const auto text = str(x.extra); !text.empty()) d.extra = object_of(text, "delegation JSON");
      d.json_path = "delegations[" + std::to_string(i) + "]";
    }
    const auto teams = r.get<team_rec>(s_teams);
    const auto anggota = r.get<index>(s_anggota);
    g.teams_.reserve(teams.size());
    prepare_for_writing(g.teams_.data(), teams.size() * sizeof(team));
    g.teams_.resize(teams.size());
    for (std::size_t i = 0; i < teams.size(); ++i) {
      const team_rec& x = teams[i];
      team& t = g.teams_[i];
      t.id = str(x.id);
      t.name = str(x.name);
      t.owner_unit = checked(x.owner, nu, false, "team owner");
      t.established_by = checked(x.by, np, true, "team established_by");
      t.ketua = checked(x.ketua, np, true, "team ketua");
      check(x.anggota_first <= anggota.size() && x.anggota_count <= anggota.size() - x.anggota_first,
            "team anggota outside their table");
      t.anggota.reserve(x.anggota_count);
      for (std::uint32_t k = 0; k < x.anggota_count; ++k) {
        t.anggota.push_back(checked(anggota[x.anggota_first + k], np, false, "team anggota"));
      }
      t.target.sasaran = str(x.sasaran);
      t.target.indikator = str(x.indikator);
      // kept as JSON text (checked by side_checks), parsed when first read
      t.target.nilai.defer(str(x.nilai));
      t.extra.defer(str(x.extra));
      t.json_path = "teams[" + std::to_string(i) + "]";
    }
  }

  // A CSR list: `first` has n + 1 non-decreasing offsets ending at the
  // list's size, every item below `limit`.
  static void check_csr(std::span<const std::uint32_t> first, std::size_t n, std::span<const index> items,
                        std::size_t limit, const char* what) {
    check(first.size() == n + 1 && first.front() == 0 && first.back() == items.size(), what);
    // Branch-free passes (one verdict at the end), which the compiler
    // vectorises: these arrays are ~0.5 GB nationally.
    bool ok = true;
    for (std::size_t k = 0; k < n; ++k) ok &= first[k] <= first[k + 1];
    for (const index i : items) ok &= i < limit;
    check(ok, what);
  }

  // n entries, each an item below `items` (a NIP table leaves out the
  // employees who hold a position as Plt or Plh).
  static void check_slots(std::span<const id_table::slot> slots, std::size_t n, std::size_t items, const char* what) {
    check(slots.empty() || (std::has_single_bit(slots.size()) && slots.size() >= 2 * n), what);
    // item + 1 wraps `none` to 0: one compare says "empty or below items"
    // and one counts the full slots, in four independent sums (~120 MB per
    // national table).
    const auto limit = static_cast<std::uint32_t>(std::min<std::size_t>(items, none));
    std::array<std::uint32_t, 4> used{}, bad{};
    const std::size_t whole = slots.size() / 4 * 4;
    for (std::size_t k = 0; k < whole; k += 4) {
      for (std::size_t l = 0; l < 4; ++l) {
        const std::uint32_t next = slots[k + l].item + 1;
        used[l] += next != 0 ? 1 : 0;
        bad[l] |= next > limit ? 1 : 0;
      }
    }
    for (std::size_t k = whole; k < slots.size(); ++k) {
      const std::uint32_t next = slots[k].item + 1;
      used[0] += next != 0 ? 1 : 0;
      bad[0] |= next > limit ? 1 : 0;
    }
    check((bad[0] | bad[1] | bad[2] | bad[3]) == 0 && std::size_t{used[0]} + used[1] + used[2] + used[3] == n, what);
  }

  // The indices over units, positions and teams (those over employees:
  // read_employee_indices).
  static void read_indices(const reader& r, org_graph& g, bool verify) {
    const std::size_t nu = g.units_.size(), np = g.positions_.size();
    r.view(s_positions_by_unit_pre, g.positions_by_unit_pre_);
    r.view(s_unit_first_pos, g.unit_first_pos_);
    r.view(s_unit_last_pos, g.unit_last_pos_);
    r.view(s_unit_by_pre, g.unit_by_pre_);
    if (verify) check_csr(g.unit_first_pos_.span(), nu, g.positions_by_unit_pre_.span(), np, "positions by unit");
    check(g.unit_last_pos_.size() == nu && g.unit_by_pre_.size() == nu, "unit orders");
    if (verify) {
      for (std::size_t k = 0; k < nu; ++k) {
        // bounded by the list itself (positions_under reads [first, last) of it)
        check(g.unit_first_pos_[k] <= g.unit_last_pos_[k] && g.unit_last_pos_[k] <= g.positions_by_unit_pre_.size(),
              "positions by unit");
        check(g.unit_by_pre_[k] < nu, "unit order");
      }
    }
    r.view(s_team_first, g.team_first_);
    r.view(s_team_list, g.team_list_);
    if (verify) check_csr(g.team_first_.span(), np, g.team_list_.span(), g.teams_.size(), "teams by position");
    const auto kinds = r.get<kind_rec>(s_unit_of_kind);
    g.unit_of_kind_.reserve(kinds.size());
    for (const kind_rec& k : kinds) g.unit_of_kind_.emplace(k.key, checked(k.unit, nu, false, "unit of kind"));
    read_id_table(r, s_unit_ids, g.unit_ids_, nu, nu, "unit id table", verify);
    read_id_table(r, s_position_ids, g.position_ids_, np, np, "position id table", verify);
    // Hints only (org_graph::position_slot_atasan_): any value is safe.
    r.view(s_position_slot_atasan, g.position_slot_atasan_);
    check(g.position_slot_atasan_.size() == g.position_ids_.slot_count(), "position slot hints");
    read_id_table(r, s_team_ids, g.team_ids_, g.teams_.size(), g.teams_.size(), "team id table", verify);
  }

  // The indices over employees, once they are read; `definitive`: the
  // employees holding their position definitively (the NIP table's entries).
  static void read_employee_indices(const reader& r, org_graph& g, std::size_t definitive, bool verify = true) {
    const std::size_t np = r.get<position>(s_positions).size(), ne = g.employees_.size();
    r.view(s_employee_by_position, g.employee_by_position_);
    check(g.employee_by_position_.size() == np, "employee by position");
    bool ok = true;
    if (verify)
      for (const index e : g.employee_by_position_) ok &= e == none || e < ne;
    check(ok, "employee by position");
    read_id_table(r, s_nips, g.nips_, definitive, ne, "NIP table", verify);
  }

  // An id table of `n` entries, each an item below `items`.
  static void read_id_table(const reader& r, section_id id, id_table& t, std::size_t n, std::size_t items,
                            const char* what, bool verify) {
    r.view(id, t.slots_);
    if (verify) check_slots(t.slots_.span(), n, items, what);
  }

  // The delegations each position receives: read before the positions,
  // whose receives_delegation flags are checked against it.
  static void read_delegation_index(const reader& r, org_graph& g, std::size_t np, std::size_t delegations,
                                    bool verify) {
    r.view(s_delegation_first, g.delegation_first_);
    r.view(s_delegation_list, g.delegation_list_);
    if (verify)
      check_csr(g.delegation_first_.span(), np, g.delegation_list_.span(), delegations, "delegations by position");
  }

  // Makes `g` own the mapping its arrays view.
  static void keep(org_graph& g, std::shared_ptr<const void> mapping) { g.backing_ = std::move(mapping); }
};

const graph_type& org_graph::graph() const {
  std::call_once(graph_once_, [this] {
    if (graph_deferred_) freezer::build_graph(*this, graph_);
  });
  return graph_;
}

namespace {
// What a record of a verified snapshot vouches for: this file's header and
// section table (whose checksum covers every section's checksum), checked by
// this format's reader with this record layout. Bump `checks` whenever the
// reader checks more, so that files verified by an older perwal are
// verified again.
std::uint64_t verification_fingerprint(const header& h) {
  constexpr std::uint64_t checks = 1;
  const std::array<std::uint64_t, 4> facts{h.table_checksum, format_version, record_layout(), checks};
  return checksum(reinterpret_cast<const char*>(facts.data()), sizeof facts);
}

// The snapshot in the mapped `file`, or nullptr with the reason in `why`.
// The org it returns views the mapping and keeps it alive. (A file being
// truncated while mapped would fault: compile-org replaces snapshots by
// rename, never in place.)
std::shared_ptr<const org_graph> read_snapshot(const std::shared_ptr<const mapped_file>& file, const vocabulary& vocab,
                                               const structure& shape, message& why) {
  const std::string_view bytes = file->text();
  const std::uint64_t size = bytes.size();
  header h{};
  if (size < magic.size() || std::memcmp(bytes.data(), magic.data(), magic.size()) != 0) {
    why = msg("org.snapshot-not");
    return nullptr;
  }
  // the version first: an older format's header may be shorter than this one's
  if (size >= offsetof(header, version) + sizeof h.version) {
    std::memcpy(&h.version, bytes.data() + offsetof(header, version), sizeof h.version);
    if (h.version != format_version) {
      why = msg("org.snapshot-format", std::to_string(h.version), std::to_string(format_version));
      return nullptr;
    }
  }
  if (size < sizeof h) {
    why = msg("org.snapshot-short", std::to_string(size));
    return nullptr;
  }
  std::memcpy(&h, bytes.data(), sizeof h);
  if (h.byte_order != byte_order_mark) {
    why = msg("org.snapshot-byte-order");
    return nullptr;
  }
  const std::uint64_t have = size - sizeof h;
  if (h.payload_size > have) {
    why = msg("org.snapshot-truncated", std::to_string(size), std::to_string(h.payload_size + sizeof h));
    return nullptr;
  }
  if (h.payload_size < have) {
    why = msg("org.snapshot-trailing", std::to_string(have - h.payload_size));
    return nullptr;
  }
  const std::uint64_t table_bytes = std::uint64_t{h.section_count} * sizeof(section_entry);
  std::vector<section_entry> table;
  if (h.section_count > 4096 || table_bytes > h.payload_size) {
    why = msg("org.snapshot-checksum");
    return nullptr;
  }
  table.resize(h.section_count);
  if (table_bytes > 0)
    std::memcpy(table.data(), bytes.data() + sizeof h, table_bytes);  // (an empty table has no data())
  if (table_checksum(h, table) != h.table_checksum) {
    why = msg("org.snapshot-checksum");
    return nullptr;
  }
  if (h.vocab_hash != vocabulary_hash(vocab, shape)) {
    why = msg("org.snapshot-stale");
    return nullptr;
  }
  if (h.layout != record_layout()) {
    why = msg("org.snapshot-layout");
    return nullptr;
  }
  // A file this user verified in full before, unchanged since, is not
  // verified again when it can be used where it lies (verified_snapshots.hpp).
  const auto records = verified_snapshots::from_environment();
  const auto before = file_identity::of(file->fd());
  const std::uint64_t fingerprint = verification_fingerprint(h);
  const bool on_record = records && before && records->vouch_for(*before, fingerprint);
  auto g = std::make_shared<org_graph>();
  snapshot_io::keep(*g, file);
  try {
    snapshot_io::reader r{bytes.data() + sizeof h + table_bytes, {}, h.base + sizeof h + table_bytes};
    r.index_sections(table, h.payload_size - table_bytes);
    const bool trusted = on_record && r.in_place();
    snapshot_io::read_verified(r, *g, vocab, trusted);
    // Recorded only as it was before and after the checks: a file written meanwhile is not vouched for.
    if (!trusted && records && before && file_identity::of(file->fd()) == before) records->record(*before, fingerprint);
  } catch (const corrupt&) {
    why = msg("org.snapshot-checksum");
    return nullptr;
  } catch (const malformed& m) {
    why = msg("org.snapshot-malformed", m.what);
    return nullptr;
  }
  return g;
}

}  // namespace

// The base a snapshot file is prelinked for (header::base), or 0 when the
// file is not a snapshot of this format (then it is mapped anywhere, and
// read_snapshot says why it is refused).
static std::uint64_t linked_base(const std::string& path) {
  header h{};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  const auto n = ::pread(fd, &h, sizeof h, 0);
  ::close(fd);
  if (n != static_cast<ssize_t>(sizeof h) || h.magic != magic || h.version != format_version) return 0;
  const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  return h.base % page == 0 ? h.base : 0;
}

std::uint32_t snapshot_format() {
  return format_version;
}

bool org_graph::is_snapshot(std::string_view bytes) {
  return bytes.size() >= magic.size() && std::memcmp(bytes.data(), magic.data(), magic.size()) == 0;
}

std::shared_ptr<const org_graph> org_graph::load_snapshot(const std::string& path, const vocabulary& vocab,
                                                          const structure& shape, diagnostics& errors) {
  const auto file = std::make_shared<const mapped_file>(path, true, linked_base(path));
  if (!file->ok()) {
    errors.report(location::file(path), msg("org.unreadable"));
    return nullptr;
  }
  message why;
  auto g = read_snapshot(file, vocab, shape, why);
  if (!g) errors.report(location::file(path), std::move(why));
  return g;
}

std::shared_ptr<const org_graph> org_graph::load_file(const std::string& path, const vocabulary& vocab,
                                                      const structure& shape, diagnostics& errors) {
  mapped_file file(path);
  if (!file.ok()) {
    errors.report(location::file(path), msg("org.unreadable"));
    return nullptr;
  }
  const std::string_view text = file.text();
  if (is_snapshot(text)) return load_snapshot(path, vocab, shape, errors);
  file.advise(MADV_SEQUENTIAL);
  if (auto g = load_streaming_dropping(
          text, [&file](const char* p) { file.drop_before(p); }, vocab, shape)) {
    check_nips(*g, errors, std::make_shared<const source_file>(source_file{path, ""}));
    return g;
  }
  file.advise(MADV_NORMAL);
  return load_reference(text, path, vocab, shape, errors);
}

bool org_graph::write_snapshot(const std::string& path, const std::string& source_path, const vocabulary& vocab,
                               const structure& shape, diagnostics& errors) const {
  const mapped_file source_file(source_path);
  if (!source_file.ok()) {
    errors.report(location::file(source_path), msg("org.unreadable"));
    return false;
  }
  const std::string_view source = source_file.text();
  header h{};
  h.magic = magic;
  h.version = format_version;
  h.byte_order = byte_order_mark;
  h.vocab_hash = vocabulary_hash(vocab, shape);
  h.source_size = source.size();
  h.source_hash = checksum(source.data(), source.size());
  h.section_count = section_count_ - 1;
  h.layout = record_layout();
  const std::uint64_t table_bytes = std::uint64_t{h.section_count} * sizeof(section_entry);
  snapshot_io::writer w;
  try {
    h.base = preferred_base(h.source_hash, 0);
    snapshot_io::sections(*this, w, h.base, table_bytes);
    if (const std::uint64_t size = sizeof h + table_bytes + w.size; preferred_base(h.source_hash, size) != h.base) {
      h.base = 0;  // too big for a slot: offsets, relocated wherever it is mapped
      w = {};
      snapshot_io::sections(*this, w, h.base, table_bytes);
    }
  } catch (const malformed& m) {
    errors.report(location::file(path), msg("org.snapshot-write", m.what));
    return false;
  }
  h.payload_size = table_bytes + w.size;
  h.table_checksum = table_checksum(h, w.table);
  // write beside, then rename: a reader never sees half a snapshot
  const std::string tmp = path + ".tmp";
  {
    block_writer out(tmp);
    out.write(reinterpret_cast<const char*>(&h), sizeof h);
    out.write(reinterpret_cast<const char*>(w.table.data()), w.table.size() * sizeof(section_entry));
    for (const auto& [data, n] : w.bytes) out.write(data, n);
    if (!out.close()) {
      std::remove(tmp.c_str());
      errors.report(location::file(path), msg("org.snapshot-write-failed"));
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    errors.report(location::file(path), msg("org.snapshot-write-failed"));
    return false;
  }
  return true;
}

}  // namespace perwal::org
