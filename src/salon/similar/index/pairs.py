"""Comparing every post with every other: each post's best neighbours, for the full rebuild.

Scores are ``X·Xᵀ − M·Mᵀ`` (``X``: the vectors, ``M``: their summary parts, since a summary
meets the other posts' own texts, never their summaries). Frequent terms make a product dense,
which a sparse product does slowly; so the columns of the most frequent terms go through a
dense (BLAS) product and the rest through a sparse one, a block of rows at a time so that
memory stays bounded.
"""

from dataclasses import dataclass


@dataclass
class _Matrices:
    sparse: object  # the rare columns of X (CSR) and its transpose
    sparse_t: object
    summaries: object  # M (CSR) and its transpose
    summaries_t: object
    dense: object  # the frequent columns of X, float32 (count × frequent)
    has_dense: bool


def all_pairs(np, sparse, count, width, entries, groups, kept, minimum, reporter):
    """Each post's best ``kept`` neighbours scoring at least ``minimum``: ``(lists,
    complete)``, ``lists[i]`` being ``[(other index, score)]`` best first and ``complete[i]``
    whether it holds every post above the minimum.

    ``entries`` are the vectors as parallel arrays (row, term, weight, from a summary);
    ``groups`` the indexes of the posts of each translation key (never similar to each other).
    """
    lists = [[] for _ in range(count)]
    complete = np.ones(count, dtype=bool)
    if count < 2:
        reporter.advance(count)
        return lists, complete
    matrices = _matrices(np, sparse, count, width, entries)
    siblings = {
        index: members for members in groups.values() if len(members) > 1 for index in members
    }
    block = max(16, int(32e6 // (8 * count)))
    for start in range(0, count, block):
        end = min(start + block, count)
        scores = _block_scores(np, matrices, start, end, siblings)
        _keep_best(np, scores, start, lists, complete, kept, minimum)
        reporter.advance(end - start)
    return lists, complete


def _matrices(np, sparse, count, width, entries):
    rows_a, cols_a, vals_a, summary_a = entries
    summaries = sparse.csr_matrix(
        (vals_a[summary_a], (rows_a[summary_a], cols_a[summary_a])), shape=(count, width)
    )
    column_df = np.bincount(cols_a, minlength=width)
    # Dense columns: frequent ones, as many as fit in about 256 MB of float32 (the products'
    # rounding, around 1e-7, is far below EPSILON).
    budget = max(0, int(256e6 // (4 * count)))
    frequent = np.argsort(-column_df, kind="stable")[:budget]
    frequent = frequent[column_df[frequent] > max(count // 50, 8)]
    is_dense = np.zeros(width, dtype=bool)
    is_dense[frequent] = True
    dense_entry = is_dense[cols_a]
    position = np.full(width, -1, dtype=np.int64)
    position[frequent] = np.arange(len(frequent))
    dense = np.zeros((count, len(frequent)), dtype=np.float32)
    dense[rows_a[dense_entry], position[cols_a[dense_entry]]] = vals_a[dense_entry]
    rare = ~dense_entry
    matrix = sparse.csr_matrix((vals_a[rare], (rows_a[rare], cols_a[rare])), shape=(count, width))
    return _Matrices(
        sparse=matrix,
        sparse_t=matrix.T.tocsr(),
        summaries=summaries,
        summaries_t=summaries.T.tocsr(),
        dense=dense,
        has_dense=bool(len(frequent)),
    )


def _block_scores(np, matrices, start, end, siblings):
    """The scores of posts ``start..end`` against every post; -1 with itself and with its
    translations, so that they are never chosen."""
    m = matrices
    scores = (m.sparse[start:end] @ m.sparse_t - m.summaries[start:end] @ m.summaries_t).toarray()
    if m.has_dense:
        scores += m.dense[start:end] @ m.dense.T
    local = np.arange(end - start)
    scores[local, local + start] = -1.0
    for index in range(start, end):
        for other in siblings.get(index, ()):
            scores[index - start, other] = -1.0
    return scores


def _keep_best(np, scores, start, lists, complete, kept, minimum):
    """Append each row's best ``kept`` scores (at least ``minimum``) to its list."""
    count = scores.shape[1]
    take = min(kept, count - 1)
    above = (scores >= minimum).sum(axis=1)
    complete[start : start + len(scores)] = above <= kept
    best = np.argpartition(scores, count - take, axis=1)[:, count - take :]
    best_scores = np.take_along_axis(scores, best, axis=1)
    order = np.lexsort((best, -best_scores), axis=1)
    best = np.take_along_axis(best, order, axis=1)
    best_scores = np.take_along_axis(best_scores, order, axis=1)
    for offset in range(len(scores)):
        found = lists[start + offset]
        for other, score in zip(best[offset].tolist(), best_scores[offset].tolist(), strict=True):
            if score < minimum:
                break
            found.append((other, score))
