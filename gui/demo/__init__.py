"""Demonstrations in the lecture hall, one job per module.

``presenter.install(main_window)`` (after ``gui.live.install``) wires them into the window as
``main_window.present``:

* ``catalog``      -- the demo files in ``circuits/demos`` and their one-line summaries;
* ``thumbnails``   -- pictures of each demo's circuit graph, and the ``--make-thumbnails`` generator;
* ``start_page``   -- File / Help > Demonstrations…: every demo with its thumbnail, a click opens it;
* ``events``       -- protocol events turned into sentences for an audience (timeline and banner);
* ``dock``         -- the Demonstration dock: explanation, protocol timeline, description;
* ``plot_layout``  -- demo layouts: the plot docks a circuit's ``view`` block lists, sized side by side;
* ``plot_look``    -- large fonts and thick pens in the plots while presenting;
* ``banner``       -- the transient announcement of a fired protocol event;
* ``presentation`` -- presentation mode (F11, ``--present``): full screen, large type, Esc leaves;
* ``presenter``    -- the controller tying these to one window's menus, document and simulation.
"""
