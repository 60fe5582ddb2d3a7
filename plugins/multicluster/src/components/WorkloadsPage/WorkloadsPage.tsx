/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Route, Routes } from 'react-router-dom';
import { WorkloadPage } from './WorkloadPage';
import { WorkloadsListPage } from './WorkloadsListPage';

/**
 * The workloads page and its workload views, mounted at
 * `/multicluster/workloads`: `/` lists, `/:name` shows one.
 * @public
 */
export function WorkloadsPage() {
  return (
    <Routes>
      <Route path="/" element={<WorkloadsListPage />} />
      <Route path="/:name" element={<WorkloadPage />} />
    </Routes>
  );
}
