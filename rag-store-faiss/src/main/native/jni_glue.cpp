// JNI glue: maps dev.ragkit.store.faiss.internal.FaissNative onto faiss_shim.h. Every entry point
// catches C++ exceptions and rethrows them as FaissNativeException, so FAISS errors never crash
// the JVM. Arrays are copied in and out (no critical sections: FAISS calls can be long and must not
// block the garbage collector).
#include "dev_ragkit_store_faiss_internal_FaissNative.h"
#include "faiss_shim.h"

#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

jclass g_exception_class = nullptr;

void throw_java(JNIEnv* env, const char* message) {
    if (!env->ExceptionCheck()) {
        env->ThrowNew(g_exception_class, message);
    }
}

template <typename F>
auto guarded(JNIEnv* env, F&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const std::bad_alloc&) {
        throw_java(env, "FAISS ran out of native memory");
    } catch (const std::exception& e) {
        throw_java(env, e.what());
    } catch (...) {
        throw_java(env, "unknown native error in FAISS");
    }
    return decltype(body())();
}

ragkit::Handle* handle(jlong h) {
    return reinterpret_cast<ragkit::Handle*>(h);
}

// For factory strings only: modified UTF-8 spells characters outside the BMP differently from UTF-8,
// which is harmless here but not for file names (see to_path).
std::string to_string(JNIEnv* env, jstring s, const char* what) {
    if (s == nullptr) {
        throw std::invalid_argument(std::string(what) + " is null");
    }
    const char* chars = env->GetStringUTFChars(s, nullptr);
    if (chars == nullptr) {
        // The JVM could not copy the string and left an OutOfMemoryError pending, which throw_java keeps.
        throw std::runtime_error(std::string("the JVM could not copy the ") + what);
    }
    struct Release {
        JNIEnv* env;
        jstring s;
        const char* chars;
        ~Release() { env->ReleaseStringUTFChars(s, chars); }
    } release{env, s, chars};
    return std::string(chars);
}

// A file name as the bytes the operating system knows it by (FaissNative encodes the Path).
std::string to_path(JNIEnv* env, jbyteArray bytes) {
    if (bytes == nullptr) {
        throw std::invalid_argument("path is null");
    }
    std::string out(size_t(env->GetArrayLength(bytes)), '\0');
    env->GetByteArrayRegion(bytes, 0, jsize(out.size()), reinterpret_cast<jbyte*>(out.data()));
    if (out.find('\0') != std::string::npos) {
        throw std::invalid_argument("path contains a NUL byte");
    }
    return out;
}

template <typename T, typename JArray>
std::vector<T> copy_in(JNIEnv* env, JArray array);

template <>
std::vector<float> copy_in<float, jfloatArray>(JNIEnv* env, jfloatArray array) {
    std::vector<float> out(env->GetArrayLength(array));
    env->GetFloatArrayRegion(array, 0, out.size(), out.data());
    return out;
}

template <>
std::vector<int64_t> copy_in<int64_t, jlongArray>(JNIEnv* env, jlongArray array) {
    std::vector<int64_t> out(env->GetArrayLength(array));
    env->GetLongArrayRegion(array, 0, out.size(), reinterpret_cast<jlong*>(out.data()));
    return out;
}

} // namespace

extern "C" {

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void*) {
    JNIEnv* env = nullptr;
    if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    jclass local = env->FindClass("dev/ragkit/store/faiss/internal/FaissNativeException");
    if (local == nullptr) {
        return JNI_ERR;
    }
    g_exception_class = static_cast<jclass>(env->NewGlobalRef(local));
    env->DeleteLocalRef(local);
    ragkit::on_load();
    return JNI_VERSION_1_8;
}

JNIEXPORT jlong JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_create(
        JNIEnv* env, jclass, jint dimension, jstring factory, jint metric, jint ef_construction) {
    return guarded(env, [&]() -> jlong {
        return reinterpret_cast<jlong>(ragkit::create(dimension, to_string(env, factory, "factory"),
                static_cast<ragkit::Metric>(metric), ef_construction));
    });
}

JNIEXPORT jlong JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_read0(
        JNIEnv* env, jclass, jbyteArray path, jstring factory) {
    return guarded(env, [&]() -> jlong {
        return reinterpret_cast<jlong>(ragkit::read(to_path(env, path), to_string(env, factory, "factory")));
    });
}

JNIEXPORT void JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_write0(
        JNIEnv* env, jclass, jlong h, jbyteArray path) {
    guarded(env, [&]() { ragkit::write(handle(h), to_path(env, path)); });
}

JNIEXPORT void JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_destroy(JNIEnv* env, jclass, jlong h) {
    guarded(env, [&]() { ragkit::destroy(handle(h)); });
}

JNIEXPORT jint JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_maxThreads(JNIEnv*, jclass) {
    return ragkit::max_threads();
}

JNIEXPORT jlong JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_liveHandles(JNIEnv*, jclass) {
    return ragkit::live_handles();
}

JNIEXPORT jlong JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_count(JNIEnv* env, jclass, jlong h) {
    return guarded(env, [&]() -> jlong { return ragkit::count(handle(h)); });
}

JNIEXPORT jint JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_dimension(JNIEnv* env, jclass, jlong h) {
    return guarded(env, [&]() -> jint { return ragkit::dimension(handle(h)); });
}

JNIEXPORT jint JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_removalMode(JNIEnv* env, jclass, jlong h) {
    return guarded(env, [&]() -> jint { return ragkit::removal_mode(handle(h)); });
}

JNIEXPORT jboolean JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_isTrained(JNIEnv* env, jclass, jlong h) {
    return guarded(env, [&]() -> jboolean { return ragkit::is_trained(handle(h)) ? JNI_TRUE : JNI_FALSE; });
}

JNIEXPORT jboolean JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_storesExactVectors(
        JNIEnv* env, jclass, jlong h) {
    return guarded(env, [&]() -> jboolean { return ragkit::stores_exact_vectors(handle(h)) ? JNI_TRUE : JNI_FALSE; });
}

JNIEXPORT jlong JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_minTrainingPoints(
        JNIEnv* env, jclass, jlong h) {
    return guarded(env, [&]() -> jlong { return ragkit::min_training_points(handle(h)); });
}

JNIEXPORT void JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_train(
        JNIEnv* env, jclass, jlong h, jint n, jfloatArray vectors, jint threads) {
    guarded(env, [&]() {
        std::vector<float> x = copy_in<float>(env, vectors);
        if (n < 0 || x.size() != size_t(n) * size_t(ragkit::dimension(handle(h)))) {
            throw std::invalid_argument("train: vector array length does not match n * dimension");
        }
        ragkit::train(handle(h), n, x.data(), threads);
    });
}

JNIEXPORT void JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_add(
        JNIEnv* env, jclass, jlong h, jfloatArray vectors, jlongArray labels, jint threads) {
    guarded(env, [&]() {
        std::vector<float> x = copy_in<float>(env, vectors);
        std::vector<int64_t> ids = copy_in<int64_t>(env, labels);
        if (x.size() != ids.size() * size_t(ragkit::dimension(handle(h)))) {
            throw std::invalid_argument("add: vector array length does not match labels * dimension");
        }
        ragkit::add(handle(h), ids.size(), x.data(), ids.data(), threads);
    });
}

JNIEXPORT jlong JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_remove(
        JNIEnv* env, jclass, jlong h, jlongArray labels) {
    return guarded(env, [&]() -> jlong {
        std::vector<int64_t> ids = copy_in<int64_t>(env, labels);
        return ragkit::remove(handle(h), ids.size(), ids.data());
    });
}

JNIEXPORT jint JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_search(
        JNIEnv* env, jclass, jlong h, jfloatArray query, jint k, jbyteArray allowed, jlong allowed_bits,
        jint ef_search, jint nprobe, jfloatArray distances, jlongArray labels) {
    return guarded(env, [&]() -> jint {
        std::vector<float> q = copy_in<float>(env, query);
        if (q.size() != size_t(ragkit::dimension(handle(h))) || k < 1 || env->GetArrayLength(distances) < k
                || env->GetArrayLength(labels) < k) {
            throw std::invalid_argument("search: query dimension, k or result arrays do not match");
        }
        std::vector<uint8_t> bitmap;
        if (allowed != nullptr) {
            bitmap.resize(env->GetArrayLength(allowed));
            env->GetByteArrayRegion(allowed, 0, bitmap.size(), reinterpret_cast<jbyte*>(bitmap.data()));
            allowed_bits = std::min<int64_t>(allowed_bits, int64_t(bitmap.size()) * 8);
        }
        std::vector<float> d(k);
        std::vector<int64_t> l(k);
        int64_t found = ragkit::search(handle(h), q.data(), k, allowed ? bitmap.data() : nullptr, allowed_bits,
                ef_search, nprobe, d.data(), l.data());
        env->SetFloatArrayRegion(distances, 0, k, d.data());
        env->SetLongArrayRegion(labels, 0, k, reinterpret_cast<const jlong*>(l.data()));
        return static_cast<jint>(found);
    });
}

JNIEXPORT void JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_setSearchDefaults(
        JNIEnv* env, jclass, jlong h, jint ef_search, jint nprobe) {
    guarded(env, [&]() { ragkit::set_search_defaults(handle(h), ef_search, nprobe); });
}

JNIEXPORT void JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_distances(
        JNIEnv* env, jclass, jlong h, jfloatArray query, jlongArray labels, jfloatArray out) {
    guarded(env, [&]() {
        std::vector<float> q = copy_in<float>(env, query);
        std::vector<int64_t> ids = copy_in<int64_t>(env, labels);
        if (q.size() != size_t(ragkit::dimension(handle(h))) || size_t(env->GetArrayLength(out)) < ids.size()) {
            throw std::invalid_argument("distances: query dimension or output array does not match");
        }
        std::vector<float> d(ids.size());
        ragkit::distances(handle(h), q.data(), ids.size(), ids.data(), d.data());
        env->SetFloatArrayRegion(out, 0, d.size(), d.data());
    });
}

JNIEXPORT void JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_reconstruct(
        JNIEnv* env, jclass, jlong h, jlongArray labels, jfloatArray out) {
    guarded(env, [&]() {
        std::vector<int64_t> ids = copy_in<int64_t>(env, labels);
        std::vector<float> v(ids.size() * size_t(ragkit::dimension(handle(h))));
        ragkit::reconstruct(handle(h), ids.size(), ids.data(), v.data());
        env->SetFloatArrayRegion(out, 0, v.size(), v.data());
    });
}

JNIEXPORT jlong JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_rebuild(
        JNIEnv* env, jclass, jlong h, jlongArray labels, jint threads) {
    return guarded(env, [&]() -> jlong {
        std::vector<int64_t> ids = copy_in<int64_t>(env, labels);
        return reinterpret_cast<jlong>(ragkit::rebuild(handle(h), ids.size(), ids.data(), threads));
    });
}

} // extern "C"
