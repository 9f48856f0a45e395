/* gemm.h: the three matrix products that training a dense layer needs.
 * All matrices are row-major float32 and every product accumulates into C.
 *   nn: C(M,N) += A(M,K) . B(K,N)        forward:          Z  = X . W
 *   tn: C(M,N) += A(K,M)^T . B(K,N)      weight gradient:  dW = X^T . dZ
 *   nt: C(M,N) += A(M,K) . B(N,K)^T      input gradient:   dX = dZ . W^T
 * The *_ref versions are plain loops: the reference every fast kernel is tested against,
 * and the kernels used by builds without wasm SIMD. */
#ifndef GL_GEMM_H
#define GL_GEMM_H

void gl_gemm_nn_ref(int M, int N, int K, const float *A, const float *B, float *C);
void gl_gemm_tn_ref(int M, int N, int K, const float *A, const float *B, float *C);
void gl_gemm_nt_ref(int M, int N, int K, const float *A, const float *B, float *C);

void gl_gemm_nn(int M, int N, int K, const float *A, const float *B, float *C);
void gl_gemm_tn(int M, int N, int K, const float *A, const float *B, float *C);
/* work: K*N floats of scratch, the packed (transposed) copy of B */
void gl_gemm_nt(int M, int N, int K, const float *A, const float *B, float *C, float *work);

#endif
