// The small C++ surface of FAISS that FaissVectorStore needs. Debian's libfaiss-dev ships no C API,
// so this shim wraps the C++ classes; jni_glue.cpp maps it onto Java. Every label here is the
// store's own int64 id for a vector; how it maps onto FAISS's internal positions is hidden here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ragkit {

enum Metric { INNER_PRODUCT = 0, L2 = 1 };

// How the index removes vectors, which decides what the Java side must do on delete.
enum RemovalMode {
    REMOVE_NATIVE = 0,   // remove_ids works (Flat, SQ, IVF*)
    REMOVE_TOMBSTONE = 1 // graph indexes (HNSW): the caller keeps tombstones and rebuilds
};

struct Handle; // opaque

// Builds an index from a FAISS factory string ("Flat", "HNSW32", "IVF1024,Flat", "IVF256,PQ16"...).
// Throws std::exception with a readable message for unsupported or malformed strings.
Handle* create(int dimension, const std::string& factory, Metric metric, int ef_construction);
// Throws std::exception, leaking no handle, for unreadable files and for indexes of a kind or
// layout that create() would not have built.
Handle* read(const std::string& path, const std::string& factory);
void write(const Handle* h, const std::string& path);
void destroy(Handle* h);

// Number of handles alive in this process; lets tests check that close() frees native memory.
long live_handles();

int64_t count(const Handle* h);
int dimension(const Handle* h);
RemovalMode removal_mode(const Handle* h);
bool is_trained(const Handle* h);
// Whether the index keeps every vector as the floats it was given (Flat, HNSW on Flat, IVF-Flat), so
// that reconstruct returns them bit for bit; false for compressed codes (SQ, PQ), which return
// approximations.
bool stores_exact_vectors(const Handle* h);
// Fewest training vectors FAISS accepts for this index; 0 when it needs no training.
int64_t min_training_points(const Handle* h);
// train, add and rebuild run FAISS on `threads` OpenMP threads; search runs on one. Each restores the
// calling thread's own OpenMP setting afterwards (the setting is per thread, and JVM threads are shared).
void train(Handle* h, int64_t n, const float* x, int threads);
void add(Handle* h, int64_t n, const float* x, const int64_t* labels, int threads);
// Removes labels (REMOVE_NATIVE indexes only); returns how many were removed.
int64_t remove(Handle* h, int64_t n, const int64_t* labels);

// k nearest labels; allowed is a bitmap over labels (bit i of byte i/8), or null for all.
// Writes up to k results (label -1 past the last one) and returns how many were found.
int64_t search(const Handle* h, const float* query, int64_t k, const uint8_t* allowed, int64_t allowed_bits,
               int ef_search, int nprobe, float* distances, int64_t* labels);

// Stores efSearch (HNSW) and nprobe (IVF) in the index itself. Needed besides the per-call search
// parameters: in FAISS 1.7.3 HNSW::search sizes its candidate heap from the index's own efSearch and
// ignores SearchParametersHNSW::efSearch there. Not thread-safe with searches: callers hold a write lock.
void set_search_defaults(Handle* h, int ef_search, int nprobe);

// Exact distance from the query to each of the n given labels (all must be stored).
void distances(const Handle* h, const float* query, int64_t n, const int64_t* labels, float* out);

// Copies of the stored vectors of the given labels (lossy for PQ/SQ codes), n * dimension floats.
// Labels must be stored, and not removed.
void reconstruct(const Handle* h, int64_t n, const int64_t* labels, float* out);

// A new index of the same kind holding only the given labels, rebuilt from their stored vectors.
Handle* rebuild(const Handle* h, int64_t n, const int64_t* labels, int threads);

// The calling thread's OpenMP setting (omp_get_max_threads); diagnostic, lets tests check it is kept.
int max_threads();

// Once per process, when the JVM loads the library.
void on_load();

} // namespace ragkit
