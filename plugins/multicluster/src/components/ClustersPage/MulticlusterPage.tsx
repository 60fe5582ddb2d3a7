/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { Route, Routes } from 'react-router-dom';
import { ClusterPage } from './ClusterPage';
import { ClustersPage } from './ClustersPage';

/**
 * The clusters page and its cluster views, mounted at `/multicluster`:
 * `/` lists clusters, `/clusters/:id` shows one.
 * @public
 */
export function MulticlusterPage() {
  return (
    <Routes>
      <Route path="/" element={<ClustersPage />} />
      <Route path="/clusters/:id" element={<ClusterPage />} />
    </Routes>
  );
}
