#include "io/hdf5.hpp"

#include <hdf5.h>
#ifdef DAIHAI_MPI
#include <mpi.h>
#endif
#include <H5DSpublic.h>

#include <type_traits>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <numeric>
#include <utility>

#include <fmt/format.h>

namespace daihai::io::hdf5 {

static_assert(std::is_same_v<Id, hid_t>, "hdf5::Id is HDF5's hid_t");
static_assert(std::is_same_v<Size, hsize_t>, "hdf5::Size is HDF5's hsize_t");
static_assert(std::is_same_v<SignedSize, hssize_t>, "hdf5::SignedSize is HDF5's hssize_t");
static_assert(kUnlimited == H5S_UNLIMITED, "hdf5::kUnlimited is H5S_UNLIMITED");

namespace {

// Appends one frame of the HDF5 error stack to the message.
herr_t collect_frame(unsigned n, const H5E_error2_t* err, void* data) {
  auto* text = static_cast<std::string*>(data);
  if (!text->empty()) *text += "; ";
  *text += fmt::format("#{} {}(): {}", n, err->func_name ? err->func_name : "?", err->desc ? err->desc : "");
  return 0;
}

std::string error_stack_text() {
  std::string text;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_frame, &text);
  H5Eclear2(H5E_DEFAULT);
  return text.empty() ? std::string("(no HDF5 error stack)") : text;
}

[[noreturn]] void fail(const std::string& what) { throw Hdf5Error(what + ": " + error_stack_text()); }

hsize_t product(const std::vector<hsize_t>& dims) {
  return std::accumulate(dims.begin(), dims.end(), hsize_t{1}, std::multiplies<>());
}

// Property list owner (closed with H5Pclose through Handle).
Handle property_list(hid_t cls, const std::string& what) { return Handle(H5Pcreate(cls), what); }

// Link and attribute creation order tracked and indexed: netCDF-4 needs it to read groups in
// a stable order and refuses to add to groups without it.
void set_creation_order(hid_t plist, const std::string& what) {
  check(H5Pset_link_creation_order(plist, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
  check(H5Pset_attr_creation_order(plist, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
}

}  // namespace

void prepare_library() {
  static std::once_flag once;
  std::call_once(once, [] {
    // No library clean-up at exit: a file whose flush failed (a full disk) stays open in the
    // library, and closing it again from the exit handler crashed the program after it had
    // reported the error. Every file this program keeps is closed explicitly before exit.
    // (Effective only before the library's first use, which this function is meant to be.)
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  });
}

template <typename T>
T check(T status, const std::string& what) {
  if (status < 0) fail(what);
  return status;
}
template herr_t check<herr_t>(herr_t, const std::string&);
template hid_t check<hid_t>(hid_t, const std::string&);
template hssize_t check<hssize_t>(hssize_t, const std::string&);

// ---------------------------------------------------------------------------------------- Handle

Handle::Handle(hid_t id, const std::string& what) : id_(id) {
  if (id < 0) fail(what);
}

Handle::~Handle() {
  if (valid()) {
    // A destructor cannot throw; a failing close during unwinding leaves nothing to report.
    switch (H5Iget_type(id_)) {
      case H5I_FILE: H5Fclose(id_); break;
      case H5I_GROUP: H5Gclose(id_); break;
      case H5I_DATASET: H5Dclose(id_); break;
      case H5I_DATASPACE: H5Sclose(id_); break;
      case H5I_DATATYPE: H5Tclose(id_); break;
      case H5I_ATTR: H5Aclose(id_); break;
      case H5I_GENPROP_LST: H5Pclose(id_); break;
      default: break;
    }
    H5Eclear2(H5E_DEFAULT);
  }
}

Handle::Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    Handle old(std::move(*this));
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
  }
  return *this;
}

void Handle::close() {
  if (!valid()) return;
  const hid_t id = std::exchange(id_, H5I_INVALID_HID);
  herr_t status = 0;
  switch (H5Iget_type(id)) {
    case H5I_FILE: status = H5Fclose(id); break;
    case H5I_GROUP: status = H5Gclose(id); break;
    case H5I_DATASET: status = H5Dclose(id); break;
    case H5I_DATASPACE: status = H5Sclose(id); break;
    case H5I_DATATYPE: status = H5Tclose(id); break;
    case H5I_ATTR: status = H5Aclose(id); break;
    case H5I_GENPROP_LST: status = H5Pclose(id); break;
    default: status = H5Idec_ref(id) < 0 ? -1 : 0; break;
  }
  check(status, "closing an HDF5 object");
}

// -------------------------------------------------------------------------------------- DataType

DataType DataType::float64() { return DataType(H5Tcopy(H5T_IEEE_F64LE), "copying the float64 type"); }
DataType DataType::float32() { return DataType(H5Tcopy(H5T_IEEE_F32LE), "copying the float32 type"); }
DataType DataType::int64() { return DataType(H5Tcopy(H5T_STD_I64LE), "copying the int64 type"); }
DataType DataType::int8() { return DataType(H5Tcopy(H5T_STD_I8LE), "copying the int8 type"); }

DataType DataType::utf8_string() {
  DataType t(H5Tcopy(H5T_C_S1), "copying the string type");
  check(H5Tset_size(t.id(), H5T_VARIABLE), "making a variable-length string type");
  check(H5Tset_cset(t.id(), H5T_CSET_UTF8), "setting UTF-8 on a string type");
  return t;
}

DataType DataType::utf8_fixed(std::size_t bytes) {
  DataType t(H5Tcopy(H5T_C_S1), "copying the string type");
  check(H5Tset_size(t.id(), bytes == 0 ? 1 : bytes), "sizing a fixed-length string type");
  check(H5Tset_strpad(t.id(), H5T_STR_NULLTERM), "setting string padding");
  check(H5Tset_cset(t.id(), H5T_CSET_UTF8), "setting UTF-8 on a string type");
  return t;
}

bool DataType::is_variable_string() const {
  return type_class() == TypeClass::string && check(H5Tis_variable_str(id()), "querying a string type") > 0;
}

TypeClass DataType::type_class() const {
  switch (check(H5Tget_class(id()), "querying a type's class")) {
    case H5T_INTEGER: return TypeClass::integer;
    case H5T_FLOAT: return TypeClass::floating;
    case H5T_STRING: return TypeClass::string;
    default: return TypeClass::other;
  }
}

std::size_t DataType::size() const {
  const std::size_t n = H5Tget_size(id());
  if (n == 0) throw Hdf5Error("querying a type's size");
  return n;
}

// ------------------------------------------------------------------------------------- DataSpace

DataSpace DataSpace::scalar() { return DataSpace(H5Screate(H5S_SCALAR), "creating a scalar data space"); }

DataSpace DataSpace::simple(const std::vector<hsize_t>& dims, const std::vector<hsize_t>& max_dims) {
  if (!max_dims.empty() && max_dims.size() != dims.size())
    throw Hdf5Error("creating a data space: max_dims rank differs from dims rank");
  return DataSpace(H5Screate_simple(static_cast<int>(dims.size()), dims.data(),
                                    max_dims.empty() ? nullptr : max_dims.data()),
                   "creating a data space");
}

std::vector<hsize_t> DataSpace::dims() const {
  const int rank = check(H5Sget_simple_extent_ndims(id()), "querying a data space rank");
  std::vector<hsize_t> d(static_cast<std::size_t>(rank));
  if (rank > 0) check(H5Sget_simple_extent_dims(id(), d.data(), nullptr), "querying data space dims");
  return d;
}

void DataSpace::select(const std::vector<hsize_t>& start, const std::vector<hsize_t>& count) {
  check(H5Sselect_hyperslab(id(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
        "selecting a hyperslab");
}

hssize_t DataSpace::elements() const { return check(H5Sget_simple_extent_npoints(id()), "counting elements"); }

// ------------------------------------------------------------------------------------- Attribute

DataType Attribute::type() const { return DataType(H5Aget_type(id()), "querying an attribute type"); }
DataSpace Attribute::space() const { return DataSpace(H5Aget_space(id()), "querying an attribute space"); }

// ---------------------------------------------------------------------------------------- Object

bool Object::has_attribute(const std::string& name) const {
  return check(H5Aexists(id(), name.c_str()), "checking attribute '" + name + "'") > 0;
}

Attribute Object::replace_attribute(const std::string& name, const DataType& type, const DataSpace& space) {
  if (has_attribute(name)) check(H5Adelete(id(), name.c_str()), "deleting attribute '" + name + "'");
  return Attribute(H5Acreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT),
                   "creating attribute '" + name + "'");
}

void Object::set_attribute(const std::string& name, const std::string& value) {
  if (value.empty()) {
    const auto type = DataType::utf8_string();
    auto attr = replace_attribute(name, type, DataSpace::scalar());
    const char* p = value.c_str();
    check(H5Awrite(attr.id(), type.id(), &p), "writing attribute '" + name + "'");
    return;
  }
  const auto type = DataType::utf8_fixed(value.size());
  auto attr = replace_attribute(name, type, DataSpace::scalar());
  check(H5Awrite(attr.id(), type.id(), value.data()), "writing attribute '" + name + "'");
}

void Object::set_attribute(const std::string& name, double value) {
  auto attr = replace_attribute(name, DataType::float64(), DataSpace::scalar());
  check(H5Awrite(attr.id(), H5T_NATIVE_DOUBLE, &value), "writing attribute '" + name + "'");
}

void Object::set_attribute(const std::string& name, std::int64_t value) {
  auto attr = replace_attribute(name, DataType::int64(), DataSpace::scalar());
  check(H5Awrite(attr.id(), H5T_NATIVE_INT64, &value), "writing attribute '" + name + "'");
}

void Object::set_attribute(const std::string& name, std::int8_t value) {
  auto attr = replace_attribute(name, DataType::int8(), DataSpace::scalar());
  check(H5Awrite(attr.id(), H5T_NATIVE_INT8, &value), "writing attribute '" + name + "'");
}

void Object::set_attribute(const std::string& name, const std::vector<std::string>& values) {
  const auto type = DataType::utf8_string();
  auto attr = replace_attribute(name, type, DataSpace::simple({values.size()}));
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& v : values) ptrs.push_back(v.c_str());
  check(H5Awrite(attr.id(), type.id(), ptrs.data()), "writing attribute '" + name + "'");
}

std::string Object::string_attribute(const std::string& name) const {
  Attribute attr(H5Aopen(id(), name.c_str(), H5P_DEFAULT), "opening attribute '" + name + "'");
  const auto type = attr.type();
  if (type.type_class() != TypeClass::string) throw Hdf5Error("attribute '" + name + "' is not a string");
  const auto space = attr.space();
  const auto n = static_cast<std::size_t>(space.elements());
  if (n == 0) return {};
  if (type.is_variable_string()) {
    const auto mem = DataType::utf8_string();
    std::vector<char*> ptrs(n, nullptr);
    check(H5Aread(attr.id(), mem.id(), ptrs.data()), "reading attribute '" + name + "'");
    std::string out = ptrs[0] ? ptrs[0] : "";
    check(H5Dvlen_reclaim(mem.id(), space.id(), H5P_DEFAULT, ptrs.data()), "freeing attribute strings");
    return out;
  }
  const std::size_t size = H5Tget_size(type.id());
  std::vector<char> buffer(size * n + 1, '\0');
  check(H5Aread(attr.id(), type.id(), buffer.data()), "reading attribute '" + name + "'");
  return std::string(buffer.data(), strnlen(buffer.data(), size));
}

std::vector<std::string> Object::string_array_attribute(const std::string& name) const {
  Attribute attr(H5Aopen(id(), name.c_str(), H5P_DEFAULT), "opening attribute '" + name + "'");
  const auto type = attr.type();
  if (type.type_class() != TypeClass::string) throw Hdf5Error("attribute '" + name + "' is not a string");
  const auto space = attr.space();
  const auto n = static_cast<std::size_t>(space.elements());
  std::vector<std::string> out;
  if (n == 0) return out;
  if (type.is_variable_string()) {
    const auto mem = DataType::utf8_string();
    std::vector<char*> ptrs(n, nullptr);
    check(H5Aread(attr.id(), mem.id(), ptrs.data()), "reading attribute '" + name + "'");
    for (auto* p : ptrs) out.emplace_back(p ? p : "");
    check(H5Dvlen_reclaim(mem.id(), space.id(), H5P_DEFAULT, ptrs.data()), "freeing attribute strings");
    return out;
  }
  const std::size_t size = H5Tget_size(type.id());
  std::vector<char> buffer(size * n + 1, '\0');
  check(H5Aread(attr.id(), type.id(), buffer.data()), "reading attribute '" + name + "'");
  for (std::size_t i = 0; i < n; ++i) out.emplace_back(buffer.data() + i * size, strnlen(buffer.data() + i * size, size));
  return out;
}

void Object::delete_attribute(const std::string& name) {
  if (has_attribute(name)) check(H5Adelete(id(), name.c_str()), "deleting attribute '" + name + "'");
}

double Object::double_attribute(const std::string& name) const {
  Attribute attr(H5Aopen(id(), name.c_str(), H5P_DEFAULT), "opening attribute '" + name + "'");
  double v = 0.0;
  check(H5Aread(attr.id(), H5T_NATIVE_DOUBLE, &v), "reading attribute '" + name + "'");
  return v;
}

std::int64_t Object::int_attribute(const std::string& name) const {
  Attribute attr(H5Aopen(id(), name.c_str(), H5P_DEFAULT), "opening attribute '" + name + "'");
  std::int64_t v = 0;
  check(H5Aread(attr.id(), H5T_NATIVE_INT64, &v), "reading attribute '" + name + "'");
  return v;
}

// --------------------------------------------------------------------------------------- Dataset

DataType Dataset::type() const { return DataType(H5Dget_type(id()), "querying a dataset type"); }
DataSpace Dataset::space() const { return DataSpace(H5Dget_space(id()), "querying a dataset space"); }
std::vector<hsize_t> Dataset::dims() const { return space().dims(); }

void Dataset::extend(const std::vector<hsize_t>& dims) {
  check(H5Dset_extent(id(), dims.data()), "extending a dataset");
}

namespace {
template <typename T>
void write_numeric_slab(const Dataset& ds, const T* data, std::size_t n, hid_t mem_type,
                        const std::vector<hsize_t>& start, const std::vector<hsize_t>& count) {
  if (product(count) != n) throw Hdf5Error("writing a hyperslab: value count differs from the slab size");
  if (n == 0) return;
  auto file_space = ds.space();
  file_space.select(start, count);
  const auto mem_space = DataSpace::simple(count);
  check(H5Dwrite(ds.id(), mem_type, mem_space.id(), file_space.id(), H5P_DEFAULT, data), "writing a dataset");
}

template <typename T>
std::vector<T> read_numeric(const Dataset& ds, hid_t mem_type) {
  const auto n = static_cast<std::size_t>(ds.space().elements());
  std::vector<T> out(n);
  if (n > 0) check(H5Dread(ds.id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "reading a dataset");
  return out;
}
}  // namespace

void Dataset::write_rows(const void* data, Id mem_type, const std::vector<Size>& rows, Size cols, bool collective) {
  const std::string what = "writing rows of a dataset";
  auto file_space = space();
  const auto dims = file_space.dims();
  const bool matrix = dims.size() == 2;
  if (rows.empty()) {
    check(H5Sselect_none(file_space.id()), what);
  } else {
    // Consecutive rows make one hyperslab; the union of them is the selection (in file order).
    bool first = true;
    for (std::size_t i = 0; i < rows.size();) {
      std::size_t j = i + 1;
      while (j < rows.size() && rows[j] == rows[j - 1] + 1) ++j;
      if (j < rows.size() && rows[j] <= rows[j - 1]) throw Hdf5Error(what + ": rows not ascending");
      const hsize_t start[2] = {rows[i], 0}, count[2] = {static_cast<hsize_t>(j - i), cols};
      check(H5Sselect_hyperslab(file_space.id(), first ? H5S_SELECT_SET : H5S_SELECT_OR, start, nullptr, count, nullptr), what);
      first = false;
      i = j;
    }
  }
  const hsize_t n = static_cast<hsize_t>(rows.size()) * (matrix ? cols : 1);
  const hsize_t one = std::max<hsize_t>(n, 1);
  DataSpace mem_space(H5Screate_simple(1, &one, nullptr), what);
  if (n == 0) check(H5Sselect_none(mem_space.id()), what);
  auto dxpl = property_list(H5P_DATASET_XFER, what);
#ifdef DAIHAI_MPI
  if (collective) check(H5Pset_dxpl_mpio(dxpl.id(), H5FD_MPIO_COLLECTIVE), what);
#else
  if (collective) throw Hdf5Error(what + ": collective writing needs a build with parallel HDF5 (DAIHAI_MPI)");
#endif
  if (n == 0 && !collective) return;
  check(H5Dwrite(id(), static_cast<hid_t>(mem_type), mem_space.id(), file_space.id(), dxpl.id(), data), what);
}

void Dataset::write_slab(std::span<const double> values, const std::vector<hsize_t>& start,
                         const std::vector<hsize_t>& count) {
  write_numeric_slab(*this, values.data(), values.size(), H5T_NATIVE_DOUBLE, start, count);
}
void Dataset::write_slab(std::span<const std::int64_t> values, const std::vector<hsize_t>& start,
                         const std::vector<hsize_t>& count) {
  write_numeric_slab(*this, values.data(), values.size(), H5T_NATIVE_INT64, start, count);
}
void Dataset::write_slab(std::span<const std::int8_t> values, const std::vector<hsize_t>& start,
                         const std::vector<hsize_t>& count) {
  write_numeric_slab(*this, values.data(), values.size(), H5T_NATIVE_INT8, start, count);
}

void Dataset::write_slab(std::span<const float> values, const std::vector<hsize_t>& start,
                         const std::vector<hsize_t>& count) {
  write_numeric_slab(*this, values.data(), values.size(), H5T_NATIVE_FLOAT, start, count);
}

void Dataset::read_slab(void* out, hid_t mem_type, const std::vector<hsize_t>& start,
                        const std::vector<hsize_t>& count) const {
  if (product(count) == 0) return;
  auto file_space = space();
  file_space.select(start, count);
  const auto mem_space = DataSpace::simple(count);
  check(H5Dread(id(), mem_type, mem_space.id(), file_space.id(), H5P_DEFAULT, out), "reading a hyperslab");
}

void Dataset::write_slab(const std::vector<std::string>& values, hsize_t start) {
  if (values.empty()) return;
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& v : values) ptrs.push_back(v.c_str());
  auto file_space = space();
  file_space.select({start}, {values.size()});
  const auto mem_space = DataSpace::simple({values.size()});
  const auto mem_type = DataType::utf8_string();
  // Strings always go through HDF5's type conversion, whose buffer (1 MiB by default) is
  // allocated and zeroed on every write; size it to the strings written instead.
  auto dxpl = property_list(H5P_DATASET_XFER, "creating a transfer property list");
  check(H5Pset_buffer(dxpl.id(), std::max<std::size_t>(1024, 32 * values.size()), nullptr, nullptr),
        "sizing the type conversion buffer");
  check(H5Dwrite(id(), mem_type.id(), mem_space.id(), file_space.id(), dxpl.id(), ptrs.data()),
        "writing a string dataset");
}

std::vector<double> Dataset::read_double() const { return read_numeric<double>(*this, H5T_NATIVE_DOUBLE); }
std::vector<float> Dataset::read_float() const { return read_numeric<float>(*this, H5T_NATIVE_FLOAT); }
std::vector<std::int64_t> Dataset::read_int64() const { return read_numeric<std::int64_t>(*this, H5T_NATIVE_INT64); }
std::vector<std::int8_t> Dataset::read_int8() const { return read_numeric<std::int8_t>(*this, H5T_NATIVE_INT8); }

std::vector<std::string> Dataset::read_strings() const { return read_strings(static_cast<std::size_t>(space().elements())); }

std::vector<std::string> Dataset::read_strings(std::size_t n) const {
  const auto file_type = type();
  if (file_type.type_class() != TypeClass::string) throw Hdf5Error("reading strings from a dataset that holds no strings");
  const auto file_space = space();
  const auto total = static_cast<std::size_t>(file_space.elements());
  if (n > total) throw Hdf5Error(fmt::format("reading {} strings from a dataset of {}", n, total));
  std::vector<std::string> out;
  out.reserve(n);
  if (n == 0) return out;
  // The first n elements only (a scalar dataset is read whole).
  hid_t select = H5S_ALL;
  Handle mem_space;
  if (n < total) {
    const hsize_t start = 0, count = n;
    check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, &start, nullptr, &count, nullptr), "selecting strings");
    mem_space = Handle(H5Screate_simple(1, &count, nullptr), "creating a memory space");
    select = file_space.id();
  }
  const hid_t mem_select = n < total ? mem_space.id() : H5S_ALL;
  if (file_type.is_variable_string()) {
    const auto mem = DataType::utf8_string();
    std::vector<char*> ptrs(n, nullptr);
    check(H5Dread(id(), mem.id(), mem_select, select, H5P_DEFAULT, ptrs.data()), "reading a string dataset");
    for (auto* p : ptrs) out.emplace_back(p ? p : "");
    check(H5Dvlen_reclaim(mem.id(), n < total ? mem_space.id() : file_space.id(), H5P_DEFAULT, ptrs.data()), "freeing strings");
    return out;
  }
  const std::size_t size = H5Tget_size(file_type.id());
  std::vector<char> buffer(size * n + 1, '\0');
  check(H5Dread(id(), file_type.id(), mem_select, select, H5P_DEFAULT, buffer.data()), "reading a string dataset");
  for (std::size_t i = 0; i < n; ++i) out.emplace_back(buffer.data() + i * size, strnlen(buffer.data() + i * size, size));
  return out;
}

void Dataset::make_scale(const std::string& dimension_name) {
  check(H5DSset_scale(id(), dimension_name.c_str()), "making dimension scale '" + dimension_name + "'");
}

void Dataset::attach_scale(const Dataset& scale, unsigned dim) {
  check(H5DSattach_scale(id(), scale.id(), dim), "attaching a dimension scale");
}

bool Dataset::is_scale() const { return check(H5DSis_scale(id()), "querying a dimension scale") > 0; }

// ----------------------------------------------------------------------------------------- Group

bool Group::exists(const std::string& name) const {
  // Walk the path so that a missing intermediate group is "false", not an error.
  std::string prefix;
  std::size_t pos = 0;
  while (true) {
    const auto next = name.find('/', pos);
    prefix = name.substr(0, next);
    if (!prefix.empty() && prefix != "/") {
      if (check(H5Lexists(id(), prefix.c_str(), H5P_DEFAULT), "checking link '" + prefix + "'") <= 0) return false;
    }
    if (next == std::string::npos) return true;
    pos = next + 1;
  }
}

Group Group::create_group(const std::string& name) {
  auto gcpl = property_list(H5P_GROUP_CREATE, "creating a group property list");
  set_creation_order(gcpl.id(), "setting creation order on group '" + name + "'");
  return Group(H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, gcpl.id(), H5P_DEFAULT), "creating group '" + name + "'");
}

Group Group::open_group(const std::string& name) const {
  return Group(H5Gopen2(id(), name.c_str(), H5P_DEFAULT), "opening group '" + name + "'");
}

namespace {
// Dataset access property list with a chunk cache of `bytes` (0: HDF5's default).
Handle access_list(std::size_t bytes, const std::string& what) {
  auto dapl = property_list(H5P_DATASET_ACCESS, what);
  if (bytes > 0) check(H5Pset_chunk_cache(dapl.id(), 12421, bytes, H5D_CHUNK_CACHE_W0_DEFAULT), what);
  return dapl;
}
}  // namespace

Dataset Group::open_dataset(const std::string& name, std::size_t cache_bytes) const {
  const std::string what = "opening dataset '" + name + "'";
  const auto dapl = access_list(cache_bytes, what);
  return Dataset(H5Dopen2(id(), name.c_str(), dapl.id()), what);
}

namespace {
herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}
}  // namespace

std::vector<std::string> Group::children() const {
  std::vector<std::string> names;
  hsize_t idx = 0;
  if (H5Literate(id(), H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect_name, &names) < 0) {
    H5Eclear2(H5E_DEFAULT);
    names.clear();
    idx = 0;
    check(H5Literate(id(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_name, &names), "listing a group");
  }
  return names;
}

Dataset Group::create_numeric(const std::string& name, const DataType& type, const std::vector<hsize_t>& dims,
                              const DatasetOptions& options, const void* fill, hid_t fill_memory_type) {
  const std::string what = "creating dataset '" + name + "'";
  auto dcpl = property_list(H5P_DATASET_CREATE, what);
  check(H5Pset_attr_creation_order(dcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
  if (!options.chunk.empty()) {
    if (options.chunk.size() != dims.size()) throw Hdf5Error(what + ": chunk rank differs from dataset rank");
    check(H5Pset_chunk(dcpl.id(), static_cast<int>(options.chunk.size()), options.chunk.data()), what);
    if (options.shuffle && options.deflate > 0) check(H5Pset_shuffle(dcpl.id()), what);
    if (options.deflate > 0) check(H5Pset_deflate(dcpl.id(), static_cast<unsigned>(options.deflate)), what);
    // Chunks without a filter are allocated when the dataset is created or extended: parallel
    // HDF5 cannot allocate them during a collective write into a file made by one process (a
    // resumed file's new rows then failed in MPI-IO and the job hung). Compressed chunks are
    // allocated by the collective write itself.
    if (options.deflate == 0) check(H5Pset_alloc_time(dcpl.id(), H5D_ALLOC_TIME_EARLY), what);
  } else if (options.deflate > 0) {
    throw Hdf5Error(what + ": deflate needs a chunk shape");
  }
  if (!options.coordinate) {
    check(H5Pset_fill_value(dcpl.id(), fill_memory_type, fill), what);
    check(H5Pset_fill_time(dcpl.id(), H5D_FILL_TIME_IFSET), what);
  }
  check(H5Pset_alloc_time(dcpl.id(), options.chunk.empty() ? H5D_ALLOC_TIME_LATE : H5D_ALLOC_TIME_INCR), what);
  const auto space = DataSpace::simple(dims, options.max_dims);
  const auto dapl = access_list(options.cache_bytes, what);
  Dataset ds(H5Dcreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, dcpl.id(), dapl.id()), what);
  if (options.coordinate) return ds;
  // _FillValue in the dataset's own type (netCDF and CF require the variable's type).
  Attribute fv(H5Acreate2(ds.id(), "_FillValue", type.id(), DataSpace::scalar().id(), H5P_DEFAULT, H5P_DEFAULT),
               what + ": _FillValue");
  check(H5Awrite(fv.id(), fill_memory_type, fill), what + ": _FillValue");
  return ds;
}

Dataset Group::create_float64(const std::string& name, const std::vector<hsize_t>& dims,
                              const DatasetOptions& options, double fill) {
  return create_numeric(name, DataType::float64(), dims, options, &fill, H5T_NATIVE_DOUBLE);
}

Dataset Group::create_float32(const std::string& name, const std::vector<hsize_t>& dims,
                              const DatasetOptions& options, float fill) {
  return create_numeric(name, DataType::float32(), dims, options, &fill, H5T_NATIVE_FLOAT);
}

Dataset Group::create_int64(const std::string& name, const std::vector<hsize_t>& dims,
                            const DatasetOptions& options, std::int64_t fill) {
  return create_numeric(name, DataType::int64(), dims, options, &fill, H5T_NATIVE_INT64);
}

Dataset Group::create_int8(const std::string& name, const std::vector<hsize_t>& dims, const DatasetOptions& options,
                           std::int8_t fill) {
  return create_numeric(name, DataType::int8(), dims, options, &fill, H5T_NATIVE_INT8);
}

Dataset Group::create_string_dataset(const std::string& name, hsize_t size, const DatasetOptions& options) {
  const std::string what = "creating string dataset '" + name + "'";
  auto dcpl = property_list(H5P_DATASET_CREATE, what);
  check(H5Pset_attr_creation_order(dcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
  if (!options.chunk.empty()) {
    check(H5Pset_chunk(dcpl.id(), static_cast<int>(options.chunk.size()), options.chunk.data()), what);
    if (options.deflate > 0) check(H5Pset_deflate(dcpl.id(), static_cast<unsigned>(options.deflate)), what);
  }
  const auto type = DataType::utf8_string();
  const auto space = DataSpace::simple({size}, options.max_dims);
  return Dataset(H5Dcreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, dcpl.id(), H5P_DEFAULT), what);
}

Dataset Group::write(const std::string& name, std::span<const double> values, const std::vector<hsize_t>& dims,
                     const DatasetOptions& options, double fill) {
  auto ds = create_float64(name, dims, options, fill);
  ds.write_slab(values, std::vector<hsize_t>(dims.size(), 0), dims);
  return ds;
}

Dataset Group::write(const std::string& name, std::span<const std::int64_t> values,
                     const std::vector<hsize_t>& dims, const DatasetOptions& options, std::int64_t fill) {
  auto ds = create_int64(name, dims, options, fill);
  ds.write_slab(values, std::vector<hsize_t>(dims.size(), 0), dims);
  return ds;
}

Dataset Group::write(const std::string& name, std::span<const std::int8_t> values, const std::vector<hsize_t>& dims,
                     const DatasetOptions& options, std::int8_t fill) {
  auto ds = create_int8(name, dims, options, fill);
  ds.write_slab(values, std::vector<hsize_t>(dims.size(), 0), dims);
  return ds;
}

Dataset Group::write(const std::string& name, const std::vector<std::string>& values,
                     const DatasetOptions& options) {
  auto ds = create_string_dataset(name, values.size(), options);
  ds.write_slab(values, 0);
  return ds;
}

// ------------------------------------------------------------------------------------------ File

namespace {

// Dirty metadata stays in the library's cache until an explicit flush (no evictions in between),
// so the file on disk changes its structure only at H5Fflush: a process killed between two
// flushes leaves the structure of the last flush (raw data written since lies beyond it and is
// not referenced). This is what makes a killed batch's partial file resumable; the cache grows
// with the metadata of one checkpoint interval, a few MB at most.
void hold_metadata_until_flush(hid_t fapl, const std::string& what) {
  H5AC_cache_config_t cfg;
  cfg.version = H5AC__CURR_CACHE_CONFIG_VERSION;
  check(H5Pget_mdc_config(fapl, &cfg), what);
  cfg.evictions_enabled = false;
  cfg.incr_mode = H5C_incr__off;
  cfg.flash_incr_mode = H5C_flash_incr__off;
  cfg.decr_mode = H5C_decr__off;
  check(H5Pset_mdc_config(fapl, &cfg), what);
}

}  // namespace

File::File(hid_t id, std::string path) : Group(id, "opening file '" + path + "'"), path_(std::move(path)) {}

File File::create(const std::string& path) {
  prepare_library();
  const std::string what = "creating HDF5 file '" + path + "'";
  auto fcpl = property_list(H5P_FILE_CREATE, what);
  set_creation_order(fcpl.id(), what);
  auto fapl = property_list(H5P_FILE_ACCESS, what);
  // The HDF5 1.8 format: dense attribute storage (large provenance attributes) and creation
  // order, still readable by HDF5 1.8 based tools.
  check(H5Pset_libver_bounds(fapl.id(), H5F_LIBVER_V18, H5F_LIBVER_V18), what);
  hold_metadata_until_flush(fapl.id(), what);
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.id(), fapl.id());
  if (id < 0) fail(what);
  return File(id, path);
}

File File::open(const std::string& path, bool writable) {
  prepare_library();
  const std::string what = "opening HDF5 file '" + path + "'";
  auto fapl = property_list(H5P_FILE_ACCESS, what);
  if (writable) hold_metadata_until_flush(fapl.id(), what);
  const hid_t id = H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl.id());
  if (id < 0) fail(what);
  return File(id, path);
}

File File::open_parallel([[maybe_unused]] const std::string& path) {
  prepare_library();
  const std::string what = "opening HDF5 file '" + path + "' for parallel writing";
#ifdef DAIHAI_MPI
  auto fapl = property_list(H5P_FILE_ACCESS, what);
  check(H5Pset_fapl_mpio(fapl.id(), MPI_COMM_WORLD, MPI_INFO_NULL), what);
  // Metadata read once and broadcast, and written by one process, instead of every process
  // reading the same bytes (the metadata storm of many ranks on a parallel file system).
  check(H5Pset_all_coll_metadata_ops(fapl.id(), true), what);
  check(H5Pset_coll_metadata_write(fapl.id(), true), what);
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.id());
  if (id < 0) fail(what);
  return File(id, path);
#else
  throw Hdf5Error(what + ": this build has no parallel HDF5 (configure with -DDAIHAI_MPI=ON, the 'mpi' preset)");
#endif
}

bool File::parallel_available() {
#ifdef DAIHAI_MPI
  return true;
#else
  return false;
#endif
}

void File::close_file() {
  if (!valid()) return;
  check(H5Fflush(id(), H5F_SCOPE_LOCAL), "flushing '" + path_ + "'");
  close();
}

}  // namespace daihai::io::hdf5
