/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { Route, Routes } from 'react-router-dom';
import { EnvironmentPage } from './EnvironmentPage';
import { EnvironmentsListPage } from './EnvironmentsListPage';

/**
 * The environments page and its environment views, mounted at
 * `/multicluster/environments`: `/` lists, `/:name` shows one.
 * @public
 */
export function EnvironmentsPage() {
  return (
    <Routes>
      <Route path="/" element={<EnvironmentsListPage />} />
      <Route path="/:name" element={<EnvironmentPage />} />
    </Routes>
  );
}
