/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 28,
    height: 28,
    flexShrink: 0,
  },
});

/** Archipelago's mark: three islands (clusters) on one sea, joined by a route. */
export const LogoIcon = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 64 64"
      role="img"
      aria-label="Archipelago"
    >
      <path
        d="M4 50c6-4 12-4 18 0s12 4 18 0 12-4 20 0"
        fill="none"
        stroke="#7df3e1"
        strokeWidth="4"
        strokeLinecap="round"
      />
      <path
        d="M14 22l6 18M32 14v26M50 24l-6 16"
        stroke="#7df3e1"
        strokeWidth="2"
        strokeDasharray="3 3"
      />
      <circle cx="12" cy="20" r="7" fill="#7df3e1" />
      <circle cx="32" cy="11" r="8" fill="#7df3e1" />
      <circle cx="52" cy="22" r="6" fill="#7df3e1" />
    </svg>
  );
};
