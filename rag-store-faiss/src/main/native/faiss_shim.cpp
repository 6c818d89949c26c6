// Implementation of faiss_shim.h against FAISS 1.7.3 (Debian's libfaiss-dev).
//
// Layout of a handle:
//  - IVF indexes carry the store's labels natively (add_with_ids), with a hashtable direct map so
//    that single vectors can be reconstructed and removed.
//  - Every other supported index (Flat, SQ, HNSW) sits inside an IndexIDMap2 that maps FAISS's
//    sequential positions to labels. Searches run on the inner index, because in 1.7.3
//    IndexIDMap::search rejects search parameters; the label selector is translated to positions.
#include "faiss_shim.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVF.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/HNSW.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>
#include <faiss/invlists/DirectMap.h>
#include <faiss/utils/distances.h>

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <typeinfo>
#include <stdexcept>
#include <utility>
#include <vector>

extern "C" void openblas_set_num_threads(int num_threads);

namespace ragkit {

namespace {

std::atomic<long> g_live_handles{0};

enum Kind { KIND_FLAT, KIND_HNSW, KIND_IVF };

// Label membership in a caller-owned bitmap.
struct LabelBitmap : faiss::IDSelector {
    const uint8_t* bits;
    int64_t nbits;
    LabelBitmap(const uint8_t* bits, int64_t nbits) : bits(bits), nbits(nbits) {}
    bool is_member(idx_t label) const override {
        return label >= 0 && label < nbits && ((bits[label >> 3] >> (label & 7)) & 1);
    }
};

// Position in the inner index -> label -> membership.
struct PositionToLabel : faiss::IDSelector {
    const std::vector<int64_t>& id_map;
    const faiss::IDSelector& labels;
    PositionToLabel(const std::vector<int64_t>& id_map, const faiss::IDSelector& labels)
            : id_map(id_map), labels(labels) {}
    bool is_member(idx_t position) const override {
        return labels.is_member(id_map[position]);
    }
};

Kind classify(const faiss::Index* inner) {
    if (dynamic_cast<const faiss::IndexIVF*>(inner)) {
        return KIND_IVF;
    }
    if (dynamic_cast<const faiss::IndexHNSW*>(inner)) {
        return KIND_HNSW;
    }
    if (dynamic_cast<const faiss::IndexFlat*>(inner) || dynamic_cast<const faiss::IndexScalarQuantizer*>(inner)) {
        return KIND_FLAT;
    }
    throw std::invalid_argument(
            "this FAISS index type is not supported by Ragkit (it cannot search with an id selector); "
            "use Flat, SQ8, HNSW<M>[,Flat|,SQ8] or IVF<n>,Flat|PQ<m>|SQ8");
}

// Runs one FAISS call on n OpenMP threads, then gives the calling thread its own setting back.
class OmpThreads {
public:
    explicit OmpThreads(int n) : saved_(omp_get_max_threads()) {
        omp_set_num_threads(n > 0 ? n : 1);
    }
    ~OmpThreads() {
        omp_set_num_threads(saved_);
    }
    OmpThreads(const OmpThreads&) = delete;
    OmpThreads& operator=(const OmpThreads&) = delete;

private:
    int saved_;
};

} // namespace

struct Handle {
    std::unique_ptr<faiss::Index> top; // what is written to disk
    faiss::Index* inner;               // what is searched
    faiss::IndexIDMap2* idmap;         // null for IVF
    Kind kind;
    std::string factory;

    // Takes the index over before anything can throw: when the checks below reject it, `top` frees it,
    // once, and the caller, having moved it in, no longer holds it.
    Handle(std::unique_ptr<faiss::Index> top_index, std::string factory_string)
            : top(std::move(top_index)), factory(std::move(factory_string)) {
        idmap = dynamic_cast<faiss::IndexIDMap2*>(top.get());
        inner = idmap ? idmap->index : top.get();
        kind = classify(inner);
        if ((kind == KIND_IVF) == (idmap != nullptr)) {
            throw std::runtime_error("unexpected FAISS index layout for '" + factory + "'");
        }
        // Last, because ~Handle (which counts down) does not run when the constructor throws.
        g_live_handles++;
    }
    ~Handle() {
        g_live_handles--;
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
};

Handle* create(int dimension, const std::string& factory, Metric metric, int ef_construction) {
    faiss::MetricType mt = metric == INNER_PRODUCT ? faiss::METRIC_INNER_PRODUCT : faiss::METRIC_L2;
    std::unique_ptr<faiss::Index> base(faiss::index_factory(dimension, factory.c_str(), mt));
    Kind kind = classify(base.get());
    if (kind == KIND_IVF) {
        auto* ivf = static_cast<faiss::IndexIVF*>(base.get());
        ivf->set_direct_map_type(faiss::DirectMap::Hashtable);
        if (auto* ivfpq = dynamic_cast<faiss::IndexIVFPQ*>(ivf)) {
            // The factory turns on polysemous training, which takes about a minute even on small samples
            // and only serves Hamming-filtered search, which Ragkit does not use.
            ivfpq->do_polysemous_training = false;
        }
        return new Handle(std::move(base), factory);
    }
    if (kind == KIND_HNSW && ef_construction > 0) {
        static_cast<faiss::IndexHNSW*>(base.get())->hnsw.efConstruction = ef_construction;
    }
    auto map = std::make_unique<faiss::IndexIDMap2>(base.get());
    map->own_fields = true;
    base.release(); // the map owns it now
    return new Handle(std::move(map), factory);
}

Handle* read(const std::string& path, const std::string& factory) {
    std::unique_ptr<faiss::Index> index(faiss::read_index(path.c_str()));
    return new Handle(std::move(index), factory);
}

void write(const Handle* h, const std::string& path) {
    faiss::write_index(h->top.get(), path.c_str());
}

void destroy(Handle* h) {
    delete h;
}

long live_handles() {
    return g_live_handles.load();
}

int64_t count(const Handle* h) {
    return h->top->ntotal;
}

int dimension(const Handle* h) {
    return h->top->d;
}

RemovalMode removal_mode(const Handle* h) {
    return h->kind == KIND_HNSW ? REMOVE_TOMBSTONE : REMOVE_NATIVE;
}

bool is_trained(const Handle* h) {
    return h->top->is_trained;
}

bool stores_exact_vectors(const Handle* h) {
    const faiss::Index* storage = h->inner;
    if (auto* hnsw = dynamic_cast<const faiss::IndexHNSW*>(h->inner)) {
        storage = hnsw->storage;
    }
    // Exact types, not subclasses: IndexIVFFlatDedup, for one, keeps one copy of duplicate vectors.
    return storage != nullptr
            && (dynamic_cast<const faiss::IndexFlat*>(storage) != nullptr
                || typeid(*storage) == typeid(faiss::IndexIVFFlat));
}

int64_t min_training_points(const Handle* h) {
    if (h->top->is_trained) {
        return 0;
    }
    int64_t needed = 1;
    if (auto* ivf = dynamic_cast<const faiss::IndexIVF*>(h->inner)) {
        needed = ivf->nlist;
        if (auto* pq = dynamic_cast<const faiss::IndexIVFPQ*>(h->inner)) {
            needed = std::max<int64_t>(needed, int64_t(1) << pq->pq.nbits);
        }
    }
    return needed;
}

void train(Handle* h, int64_t n, const float* x, int threads) {
    OmpThreads omp(threads);
    h->top->train(n, x);
}

void add(Handle* h, int64_t n, const float* x, const int64_t* labels, int threads) {
    if (!h->top->is_trained) {
        throw std::runtime_error("the index is not trained");
    }
    OmpThreads omp(threads);
    h->top->add_with_ids(n, x, labels);
}

int64_t remove(Handle* h, int64_t n, const int64_t* labels) {
    if (h->kind == KIND_HNSW) {
        throw std::runtime_error("HNSW indexes cannot remove vectors");
    }
    if (h->kind == KIND_IVF) {
        // The hashtable direct map only accepts an IDSelectorArray.
        faiss::IDSelectorArray sel(n, labels);
        return h->top->remove_ids(sel);
    }
    faiss::IDSelectorBatch sel(n, labels);
    return h->top->remove_ids(sel);
}

int64_t search(const Handle* h, const float* query, int64_t k, const uint8_t* allowed, int64_t allowed_bits,
               int ef_search, int nprobe, float* distances, int64_t* labels) {
    // One thread: concurrent searches come from many Java threads, which already keep the cores busy.
    OmpThreads omp(1);
    std::unique_ptr<LabelBitmap> bitmap;
    std::unique_ptr<PositionToLabel> translated;
    faiss::IDSelector* sel = nullptr;
    if (allowed) {
        bitmap.reset(new LabelBitmap(allowed, allowed_bits));
        sel = bitmap.get();
        if (h->idmap) {
            translated.reset(new PositionToLabel(h->idmap->id_map, *bitmap));
            sel = translated.get();
        }
    }
    std::fill(labels, labels + k, int64_t(-1));
    switch (h->kind) {
        case KIND_IVF: {
            faiss::SearchParametersIVF params;
            params.nprobe = nprobe > 0 ? nprobe : static_cast<const faiss::IndexIVF*>(h->inner)->nprobe;
            params.sel = sel;
            h->inner->search(1, query, k, distances, labels, &params);
            break;
        }
        case KIND_HNSW: {
            faiss::SearchParametersHNSW params;
            params.efSearch = ef_search > 0 ? ef_search : static_cast<const faiss::IndexHNSW*>(h->inner)->hnsw.efSearch;
            params.sel = sel;
            h->inner->search(1, query, k, distances, labels, &params);
            break;
        }
        case KIND_FLAT: {
            faiss::SearchParameters params;
            params.sel = sel;
            h->inner->search(1, query, k, distances, labels, sel ? &params : nullptr);
            break;
        }
    }
    int64_t found = 0;
    for (int64_t i = 0; i < k; i++) {
        if (labels[i] < 0) {
            continue;
        }
        int64_t label = h->idmap ? h->idmap->id_map[labels[i]] : labels[i];
        labels[found] = label;
        distances[found] = distances[i];
        found++;
    }
    for (int64_t i = found; i < k; i++) {
        labels[i] = -1;
    }
    return found;
}

void set_search_defaults(Handle* h, int ef_search, int nprobe) {
    if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(h->inner)) {
        if (ef_search > 0) {
            hnsw->hnsw.efSearch = ef_search;
        }
    }
    if (auto* ivf = dynamic_cast<faiss::IndexIVF*>(h->inner)) {
        if (nprobe > 0) {
            ivf->nprobe = nprobe;
        }
    }
}

void distances(const Handle* h, const float* query, int64_t n, const int64_t* labels, float* out) {
    int d = h->top->d;
    std::vector<float> buffer(d);
    bool ip = h->top->metric_type == faiss::METRIC_INNER_PRODUCT;
    for (int64_t i = 0; i < n; i++) {
        h->top->reconstruct(labels[i], buffer.data());
        out[i] = ip ? faiss::fvec_inner_product(query, buffer.data(), d) : faiss::fvec_L2sqr(query, buffer.data(), d);
    }
}

void reconstruct(const Handle* h, int64_t n, const int64_t* labels, float* out) {
    int d = h->top->d;
    for (int64_t i = 0; i < n; i++) {
        h->top->reconstruct(labels[i], out + i * d);
    }
}

Handle* rebuild(const Handle* h, int64_t n, const int64_t* labels, int threads) {
    OmpThreads omp(threads);
    int ef_construction = 0;
    if (auto* hnsw = dynamic_cast<const faiss::IndexHNSW*>(h->inner)) {
        ef_construction = hnsw->hnsw.efConstruction;
    }
    Metric metric = h->top->metric_type == faiss::METRIC_INNER_PRODUCT ? INNER_PRODUCT : L2;
    std::unique_ptr<Handle> fresh(create(h->top->d, h->factory, metric, ef_construction));
    if (!h->top->is_trained) {
        return fresh.release();
    }
    if (h->kind == KIND_IVF) {
        throw std::runtime_error("IVF indexes remove natively and are never rebuilt");
    }
    const int64_t batch = 4096;
    std::vector<float> vectors;
    for (int64_t start = 0; start < n; start += batch) {
        int64_t m = std::min(batch, n - start);
        vectors.resize(size_t(m) * h->top->d);
        reconstruct(h, m, labels + start, vectors.data());
        fresh->top->add_with_ids(m, vectors.data(), labels + start);
    }
    return fresh.release();
}

int max_threads() {
    return omp_get_max_threads();
}

void on_load() {
    // FAISS calls BLAS only inside its own (OpenMP) loops and batched searches; OpenBLAS's own thread
    // pool on top of OpenMP oversubscribes the cores, which made training 10x slower on a busy machine.
    openblas_set_num_threads(1);
}

} // namespace ragkit
