/* grow.h -- room for one more element in a growing array. */
#ifndef RAGC_GROW_H
#define RAGC_GROW_H

#include <stdlib.h>

/* If array v holds n == cap elements, doubles cap (first to min_cap) with
   realloc; on allocation failure leaves v and cap as they were and runs
   the statement `on_fail`. */
#define RG_GROW(v, n, cap, min_cap, on_fail)                                       \
    do {                                                                           \
        if ((n) >= (cap)) {                                                        \
            size_t rg_nc_ = (cap) ? 2 * (size_t)(cap) : (size_t)(min_cap);        \
            while (rg_nc_ <= (size_t)(n))                                          \
                rg_nc_ *= 2;                                                       \
            void *rg_p_ = realloc((v), rg_nc_ * sizeof(*(v)));                     \
            if (!rg_p_) {                                                          \
                on_fail;                                                           \
            } else {                                                               \
                (v) = rg_p_;                                                       \
                (cap) = rg_nc_;                                                    \
            }                                                                      \
        }                                                                          \
    } while (0)

#endif
