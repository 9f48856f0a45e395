/* gemm.h: the three matrix products that training a dense layer needs.
 * All matrices are row-major float32 and every product accumulates into C.
 *   nn: C(M,N) += A(M,K) . B(K,N)        forward:          Z  = X . W
 *   tn: C(M,N) += A(K,M)^T . B(K,N)      weight gradient:  dW = X^T . dZ
 *   nt: C(M,N) += A(M,K) . B(N,K)^T      input gradient:   dX = dZ . W^T
 * tn_set is tn storing C = A^T . B instead of adding to it (the weight gradient, without zeroing it
 * first); it returns 1 when every value it stored is finite, 0 otherwise (the packed kernel checks
 * each tile as it finishes it, while it is in cache).
 * and two fused forms that finish each tile of C while it is still in cache:
 *   nn_bias_act: Z = bias + X . W, then Aout = f(Z)          (the dense layer's forward pass)
 *   nt_deriv:    dX = (dZ . W^T) * f'(z, a) elementwise      (its backward pass into the layer below)
 * The *_ref versions are plain loops: the reference every fast kernel is tested against,
 * and the kernels used by builds without SIMD. The fast kernels pack B into panels in a static
 * buffer, so they are not reentrant (the engine runs on one thread). */
#ifndef GL_GEMM_H
#define GL_GEMM_H

void gl_gemm_nn_ref(int M, int N, int K, const float *A, const float *B, float *C);
void gl_gemm_tn_ref(int M, int N, int K, const float *A, const float *B, float *C);
void gl_gemm_nt_ref(int M, int N, int K, const float *A, const float *B, float *C);
int gl_gemm_tn_set_ref(int M, int N, int K, const float *A, const float *B, float *C);
/* C = bias + A.B, bias (N) or NULL for none (a convolution's forward pass), and C = A.B^T (its input gradient, before
 * col2im): stored, without first filling or zeroing C */
void gl_gemm_nn_bias_ref(int M, int N, int K, const float *A, const float *B, const float *bias, float *C);
void gl_gemm_nt_set_ref(int M, int N, int K, const float *A, const float *B, float *C);
/* C = bias + A.B (bias (N) may be NULL: zero), then out = f(C) by activation act (activation.h) */
void gl_gemm_nn_bias_act_ref(int M, int N, int K, const float *A, const float *B, const float *bias,
                             float *C, float *out, int act, float slope);
/* C = (A.B^T) * f'(z, a), z and a (M,N) */
void gl_gemm_nt_deriv_ref(int M, int N, int K, const float *A, const float *B, float *C,
                          const float *z, const float *a, int act, float slope);

void gl_gemm_nn(int M, int N, int K, const float *A, const float *B, float *C);
void gl_gemm_tn(int M, int N, int K, const float *A, const float *B, float *C);
void gl_gemm_nt(int M, int N, int K, const float *A, const float *B, float *C);
int gl_gemm_tn_set(int M, int N, int K, const float *A, const float *B, float *C);
void gl_gemm_nn_bias(int M, int N, int K, const float *A, const float *B, const float *bias, float *C);
void gl_gemm_nt_set(int M, int N, int K, const float *A, const float *B, float *C);
void gl_gemm_nn_bias_act(int M, int N, int K, const float *A, const float *B, const float *bias,
                         float *C, float *out, int act, float slope);
void gl_gemm_nt_deriv(int M, int N, int K, const float *A, const float *B, float *C,
                      const float *z, const float *a, int act, float slope);

/* The packed path's micro-kernel variants (gemm.c): how many, the name and tile (mr*100 + nr) of
 * variant i, which one runs, and selecting one (returns i, or -1 when out of range). The SIMD
 * build has several; the scalar build has one, "reference". */
int gl_gemm_variant_count(void);
const char *gl_gemm_variant_name(int i);
int gl_gemm_variant_tile(int i);
int gl_gemm_selected(void);
int gl_gemm_select(int i);
/* reps products C += A.B (M,N,K) with variant `variant`, the selection restored after (for timing
 * the variants at load); 0, or -1 for an argument out of range */
int gl_gemm_trial(int variant, int M, int N, int K, const float *A, const float *B, float *C, int reps);

#endif
