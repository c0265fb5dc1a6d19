#pragma once
/// @file hdf5.hpp
/// A thin RAII layer over the HDF5 C API and its high-level dimension-scale API (H5DS).
///
/// Every handle closes its HDF5 identifier on destruction. Every failing HDF5 call throws
/// io::hdf5::Hdf5Error carrying what was attempted and the text of the HDF5 error stack; HDF5's
/// automatic printing of errors to stderr is switched off the first time a File is created or
/// opened. The serial HDF5 library is not thread-safe: use these handles from one thread.
///
/// Files are created netCDF-4 compatible: link and attribute creation order tracked and indexed
/// on the root and on every group created here, and the HDF5 1.8 file format (readable by HDF5
/// 1.8+, netCDF-C 4.x, h5py, MATLAB, HDFView).
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace daihai::io::hdf5 {

/// HDF5's identifier, size and signed size types (hid_t, Size, hssize_t of HDF5 1.10), named
/// here so that this header needs no HDF5 header: HDF5 stays private to the io library
/// (hdf5.cpp checks that the types are the same).
using Id = std::int64_t;
using Size = unsigned long long;
using SignedSize = long long;
/// An extent without limit (H5S_UNLIMITED).
inline constexpr Size kUnlimited = ~Size{0};

/// The class of a data type.
enum class TypeClass { integer, floating, string, other };

/// A failed HDF5 call. `what()` is "<operation>: <HDF5 error stack, innermost last>".
class Hdf5Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Prepares the HDF5 library for this program: switches off its automatic error printing (errors
/// come back as Hdf5Error with the stack as text) and its clean-up at exit (H5dont_atexit: a file
/// left open by a failed flush, e.g. on a full disk, made that clean-up crash). Idempotent; call
/// before any other HDF5 use (the File functions do).
void prepare_library();

/// Throws Hdf5Error("<what>: <HDF5 error stack>") when `status < 0`; returns `status` otherwise.
/// Works for herr_t, hid_t, htri_t and hssize_t results.
template <typename T>
T check(T status, const std::string& what);

/// Owner of one HDF5 identifier; closes it with the matching H5*close on destruction.
/// Move-only. An empty handle holds an invalid identifier (H5I_INVALID_HID, −1).
class Handle {
public:
  Handle() = default;
  /// Takes ownership of `id` (checked: throws Hdf5Error with `what` when id < 0).
  Handle(Id id, const std::string& what);
  ~Handle();
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  Id id() const noexcept { return id_; }  ///< the raw HDF5 identifier (still owned by this handle)
  bool valid() const noexcept { return id_ >= 0; }  ///< false for an empty (moved-from or closed) handle
  /// Closes now; throws Hdf5Error when the close fails (a destructor would swallow it).
  void close();

private:
  Id id_ = -1;
};

/// A data type (H5T). Built-in predefined types are copied so that every DataType owns its id.
class DataType : public Handle {
public:
  using Handle::Handle;
  static DataType float64();  ///< IEEE little-endian 64-bit float (all factories throw Hdf5Error on failure)
  static DataType float32();  ///< IEEE little-endian 32-bit float
  static DataType int64();    ///< little-endian signed 64-bit integer
  static DataType int8();     ///< signed 8-bit integer
  static DataType utf8_string();  ///< variable-length UTF-8 C string
  /// Fixed-length UTF-8 string of `bytes` bytes (>= 1), null-terminated.
  static DataType utf8_fixed(std::size_t bytes);
  /// True for a variable-length string type.
  bool is_variable_string() const;
  /// The type's class (integer, floating point, string, other).
  TypeClass type_class() const;
  /// Size in bytes of one element (H5Tget_size).
  std::size_t size() const;
};

/// A data space (H5S): scalar or simple with current and maximal extents.
class DataSpace : public Handle {
public:
  using Handle::Handle;
  static DataSpace scalar();  ///< a scalar space (one element)
  /// Simple space with `dims`; `max_dims` empty means fixed size; kUnlimited allowed.
  static DataSpace simple(const std::vector<Size>& dims, const std::vector<Size>& max_dims = {});
  /// Current extent (empty for a scalar space).
  std::vector<Size> dims() const;
  /// Selects the hyperslab `start` + `count` (replacing any selection).
  void select(const std::vector<Size>& start, const std::vector<Size>& count);
  /// Number of elements in the space.
  SignedSize elements() const;
};

/// An attribute (H5A).
class Attribute : public Handle {
public:
  using Handle::Handle;
  DataType type() const;    ///< the attribute's file type; throws Hdf5Error
  DataSpace space() const;  ///< the attribute's data space; throws Hdf5Error
};

/// Anything attributes can hang on (file root, group, dataset).
class Object : public Handle {
public:
  using Handle::Handle;
  bool has_attribute(const std::string& name) const;
  /// Writes (replacing) a scalar string attribute: fixed-length UTF-8 (netCDF NC_CHAR) when
  /// non-empty, a variable-length string when empty.
  void set_attribute(const std::string& name, const std::string& value);
  void set_attribute(const std::string& name, const char* value) { set_attribute(name, std::string(value)); }
  /// Writes (replacing) a scalar float64 attribute.
  void set_attribute(const std::string& name, double value);
  /// Writes (replacing) a scalar int64 attribute.
  void set_attribute(const std::string& name, std::int64_t value);
  /// Writes (replacing) a scalar int8 attribute.
  void set_attribute(const std::string& name, std::int8_t value);
  /// Writes (replacing) a 1-D attribute of variable-length UTF-8 strings.
  void set_attribute(const std::string& name, const std::vector<std::string>& values);
  /// Reads a string attribute (fixed or variable length, scalar or first element); throws
  /// Hdf5Error when missing or not a string.
  std::string string_attribute(const std::string& name) const;
  /// Reads every element of a string attribute (variable- or fixed-length, any rank, row-major);
  /// throws Hdf5Error when missing or not a string.
  std::vector<std::string> string_array_attribute(const std::string& name) const;
  /// Deletes the attribute `name` when present (no error when it is absent); throws Hdf5Error.
  void delete_attribute(const std::string& name);
  /// Reads a numeric scalar attribute converted to double; throws Hdf5Error when missing.
  double double_attribute(const std::string& name) const;
  /// Reads a numeric scalar attribute converted to int64; throws Hdf5Error when missing.
  std::int64_t int_attribute(const std::string& name) const;

private:
  Attribute replace_attribute(const std::string& name, const DataType& type, const DataSpace& space);
};

/// Options for creating a dataset.
struct DatasetOptions {
  /// Chunk shape (same rank as the dataset); empty = contiguous storage (then no unlimited dims).
  std::vector<Size> chunk;
  /// Maximal extents; empty = the initial dims. kUnlimited needs a chunk shape.
  std::vector<Size> max_dims;
  /// zlib deflate level 1..9; 0 = none (needs a chunk shape when > 0).
  int deflate = 0;
  /// Byte shuffle before deflate (better compression of floating-point data; netCDF-4 reads it).
  bool shuffle = false;
  /// A coordinate variable (dimension scale): no fill value and no `_FillValue` attribute,
  /// since CF forbids missing coordinate values and xarray would turn integer coordinates
  /// into floats to make room for one.
  bool coordinate = false;
  /// Size in bytes of the dataset's raw-data chunk cache while this handle is open (H5Pset_chunk_cache);
  /// 0 = HDF5's default (1 MiB). Rows written one at a time need the chunks of one row block cached,
  /// else chunks are evicted, compressed and read back again for every row.
  std::size_t cache_bytes = 0;
};

/// A dataset (H5D) with typed write/read helpers for whole datasets and row hyperslabs.
class Dataset : public Object {
public:
  using Object::Object;
  DataType type() const;              ///< the dataset's file type; throws Hdf5Error
  DataSpace space() const;            ///< the dataset's current data space; throws Hdf5Error
  std::vector<Size> dims() const;  ///< current extent, one entry per dimension
  /// Grows (or shrinks) the current extent; needs a chunked dataset within its max dims.
  void extend(const std::vector<Size>& dims);

  /// Writes `values` into the hyperslab `start` + `count` (product of count == values.size()).
  void write_slab(std::span<const double> values, const std::vector<Size>& start, const std::vector<Size>& count);
  void write_slab(std::span<const std::int64_t> values, const std::vector<Size>& start, const std::vector<Size>& count);
  void write_slab(std::span<const std::int8_t> values, const std::vector<Size>& start, const std::vector<Size>& count);
  void write_slab(std::span<const float> values, const std::vector<Size>& start, const std::vector<Size>& count);
  /// Reads the hyperslab `start` + `count` into `out` (product of count elements of the memory
  /// type `mem_type`, an HDF5 native type such as H5T_NATIVE_DOUBLE), converted by HDF5. Throws Hdf5Error.
  void read_slab(void* out, Id mem_type, const std::vector<Size>& start, const std::vector<Size>& count) const;
  /// Writes variable-length strings into a 1-D hyperslab.
  void write_slab(const std::vector<std::string>& values, Size start);
  /// Writes whole rows of a [row] or [row, cols] dataset: `rows` (ascending, distinct) with their
  /// `cols` values each, row after row in `data` (elements of the HDF5 native type `mem_type`).
  /// With `collective` (a file opened by File::open_parallel) every process of the file must call
  /// it for the same dataset, those with nothing to write with no rows (HDF5 needs every process
  /// in a collective write of a compressed dataset). Throws Hdf5Error.
  void write_rows(const void* data, Id mem_type, const std::vector<Size>& rows, Size cols, bool collective);

  /// Whole dataset, row-major, converted by HDF5 to the requested element type.
  std::vector<double> read_double() const;
  std::vector<float> read_float() const;
  std::vector<std::int64_t> read_int64() const;
  std::vector<std::int8_t> read_int8() const;
  /// Whole 1-D (or scalar) dataset of variable- or fixed-length strings.
  std::vector<std::string> read_strings() const;
  /// The first `count` elements of a 1-D string dataset (rows beyond may be unwritten: their
  /// variable-length references are never followed). Throws Hdf5Error when count exceeds the extent.
  std::vector<std::string> read_strings(std::size_t count) const;

  /// Makes this dataset a dimension scale named `dimension_name` (H5DSset_scale).
  void make_scale(const std::string& dimension_name);
  /// Attaches dimension scale `scale` to dimension `dim` of this dataset (H5DSattach_scale).
  void attach_scale(const Dataset& scale, unsigned dim);
  /// True when this dataset is a dimension scale.
  bool is_scale() const;
};

/// A group (H5G), the file root included.
class Group : public Object {
public:
  using Object::Object;
  /// True when a link `name` (a path relative to this group) exists.
  bool exists(const std::string& name) const;
  /// Creates a child group with link and attribute creation order tracked and indexed.
  Group create_group(const std::string& name);
  /// Opens a child group; throws Hdf5Error when missing.
  Group open_group(const std::string& name) const;
  /// Opens a dataset; throws Hdf5Error when missing. `cache_bytes` as in DatasetOptions.
  Dataset open_dataset(const std::string& name, std::size_t cache_bytes = 0) const;
  /// Names of the links in this group, in creation order when it is tracked, else by name.
  std::vector<std::string> children() const;

  /// Creates an empty float64 dataset with shape `dims`, storage `options` and the creation
  /// fill value `fill`, also written as the `_FillValue` attribute in the dataset's type, as
  /// netCDF-4 and CF expect. Unwritten elements (also those added by extend()) read as `fill`.
  /// With `options.coordinate` neither is set and `fill` is ignored. Throws Hdf5Error (e.g. when
  /// `name` exists, or a chunk shape does not fit `max_dims`).
  Dataset create_float64(const std::string& name, const std::vector<Size>& dims, const DatasetOptions& options,
                         double fill);
  /// Like create_float64, for IEEE 32-bit floats (`fill` stored as float32).
  Dataset create_float32(const std::string& name, const std::vector<Size>& dims, const DatasetOptions& options,
                         float fill);
  /// Like create_float64, for int64.
  Dataset create_int64(const std::string& name, const std::vector<Size>& dims, const DatasetOptions& options,
                       std::int64_t fill);
  /// Like create_float64, for int8.
  Dataset create_int8(const std::string& name, const std::vector<Size>& dims, const DatasetOptions& options,
                      std::int8_t fill);
  /// Creates an empty 1-D variable-length UTF-8 string dataset (no _FillValue: an empty
  /// string is a legitimate value).
  Dataset create_string_dataset(const std::string& name, Size size, const DatasetOptions& options);

  /// Creates and writes a float64 dataset of shape `dims` (row-major `values`, whose size must be
  /// the product of `dims`); `fill` as in create_float64. Throws Hdf5Error.
  Dataset write(const std::string& name, std::span<const double> values, const std::vector<Size>& dims,
                const DatasetOptions& options, double fill);
  /// Creates and writes an int64 dataset of shape `dims`.
  Dataset write(const std::string& name, std::span<const std::int64_t> values, const std::vector<Size>& dims,
                const DatasetOptions& options, std::int64_t fill);
  /// Creates and writes an int8 dataset of shape `dims`.
  Dataset write(const std::string& name, std::span<const std::int8_t> values, const std::vector<Size>& dims,
                const DatasetOptions& options, std::int8_t fill);
  /// Creates and writes a 1-D variable-length UTF-8 string dataset.
  Dataset write(const std::string& name, const std::vector<std::string>& values, const DatasetOptions& options = {});

private:
  Dataset create_numeric(const std::string& name, const DataType& type, const std::vector<Size>& dims,
                         const DatasetOptions& options, const void* fill, Id fill_memory_type);
};

/// An HDF5 file. Its root group is available through root().
class File : public Group {
public:
  File() = default;
  /// Creates (truncating) `path` netCDF-4 compatible; throws Hdf5Error with the path on failure.
  static File create(const std::string& path);
  /// Opens an existing file, read-only unless `writable`; throws Hdf5Error with the path.
  static File open(const std::string& path, bool writable = false);
  /// Opens an existing file for writing by every process of MPI_COMM_WORLD together (MPI-IO, the
  /// metadata read and written collectively: every process makes the same calls on the file and
  /// its objects). Only in a build with parallel HDF5 (DAIHAI_MPI); elsewhere throws Hdf5Error.
  static File open_parallel(const std::string& path);
  /// True when this program was built with parallel HDF5 and MPI (the CMake option DAIHAI_MPI).
  static bool parallel_available();
  const std::string& path() const noexcept { return path_; }  ///< the path the file was opened with
  /// Flushes and closes; throws Hdf5Error on failure.
  void close_file();

private:
  File(Id id, std::string path);
  std::string path_;
};

/// The netCDF default fill values (netcdf.h NC_FILL_DOUBLE, NC_FILL_INT64, NC_FILL_BYTE): finite
/// sentinels that netCDF and CF tools already recognise.
inline constexpr double kFillDouble = 9.9692099683868690e+36;
inline constexpr float kFillFloat = 9.9692099683868690e+36f;  ///< netCDF NC_FILL_FLOAT
inline constexpr std::int64_t kFillInt64 = -9223372036854775806LL;
inline constexpr std::int8_t kFillInt8 = -127;

}  // namespace daihai::io::hdf5

namespace daihai::io {
/// The HDF5 error type under the io namespace (io::Hdf5Error).
using Hdf5Error = hdf5::Hdf5Error;
}  // namespace daihai::io
