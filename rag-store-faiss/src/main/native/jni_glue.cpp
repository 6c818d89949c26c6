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

std::string to_string(JNIEnv* env, jstring s) {
    const char* chars = env->GetStringUTFChars(s, nullptr);
    std::string out(chars);
    env->ReleaseStringUTFChars(s, chars);
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
        return reinterpret_cast<jlong>(ragkit::create(dimension, to_string(env, factory),
                static_cast<ragkit::Metric>(metric), ef_construction));
    });
}

JNIEXPORT jlong JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_read(
        JNIEnv* env, jclass, jstring path, jstring factory) {
    return guarded(env, [&]() -> jlong {
        return reinterpret_cast<jlong>(ragkit::read(to_string(env, path), to_string(env, factory)));
    });
}

JNIEXPORT void JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_write(
        JNIEnv* env, jclass, jlong h, jstring path) {
    guarded(env, [&]() { ragkit::write(handle(h), to_string(env, path)); });
}

JNIEXPORT void JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_destroy(JNIEnv* env, jclass, jlong h) {
    guarded(env, [&]() { ragkit::destroy(handle(h)); });
}

JNIEXPORT void JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_useThreads(JNIEnv*, jclass, jint n) {
    ragkit::use_threads(n);
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

JNIEXPORT jlong JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_minTrainingPoints(
        JNIEnv* env, jclass, jlong h) {
    return guarded(env, [&]() -> jlong { return ragkit::min_training_points(handle(h)); });
}

JNIEXPORT void JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_train(
        JNIEnv* env, jclass, jlong h, jint n, jfloatArray vectors) {
    guarded(env, [&]() {
        std::vector<float> x = copy_in<float>(env, vectors);
        if (n < 0 || x.size() != size_t(n) * size_t(ragkit::dimension(handle(h)))) {
            throw std::invalid_argument("train: vector array length does not match n * dimension");
        }
        ragkit::train(handle(h), n, x.data());
    });
}

JNIEXPORT void JNICALL Java_dev_ragkit_store_faiss_internal_FaissNative_add(
        JNIEnv* env, jclass, jlong h, jfloatArray vectors, jlongArray labels) {
    guarded(env, [&]() {
        std::vector<float> x = copy_in<float>(env, vectors);
        std::vector<int64_t> ids = copy_in<int64_t>(env, labels);
        if (x.size() != ids.size() * size_t(ragkit::dimension(handle(h)))) {
            throw std::invalid_argument("add: vector array length does not match labels * dimension");
        }
        ragkit::add(handle(h), ids.size(), x.data(), ids.data());
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
        ragkit::use_single_thread();
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
        JNIEnv* env, jclass, jlong h, jlongArray labels) {
    return guarded(env, [&]() -> jlong {
        std::vector<int64_t> ids = copy_in<int64_t>(env, labels);
        return reinterpret_cast<jlong>(ragkit::rebuild(handle(h), ids.size(), ids.data()));
    });
}

} // extern "C"
