;;; emacs-eglot.el --- Emacs (28+) with eglot driving the mmscn language server, in batch mode.
;;   MMSCN_FILE=x.mmscn MMSCN_OUT=result.json emacs --batch -l test/editors/emacs-eglot.el
;; with `mmscn' on PATH (the test puts a wrapper of dist/cli.js there).
;; The configuration part is what docs/editors.md shows; the rest checks that diagnostics (flymake) and hover
;; arrive and writes what the editor got to MMSCN_OUT (test/lsp/editors.test.ts reads it).

;; --batch implies -q (no init file); Debian's site-start puts elpa-eglot (a system package) on the load-path
(require 'json)

;; ---- configuration (docs/editors.md) ----
(require 'eglot)
(define-derived-mode mmscn-mode prog-mode "mmscn"
  "Major mode for mmscn memory-management scenarios."
  (setq-local comment-start "# "))
(add-to-list 'auto-mode-alist '("\\.mmscn\\'" . mmscn-mode))
(add-to-list 'eglot-server-programs
             '(mmscn-mode . ("mmscn" "lsp" "--stdio")))  ; or ("node" "/path/to/mmscn/dist/cli.js" "lsp" "--stdio")
(add-hook 'mmscn-mode-hook #'eglot-ensure)
(defun mmscn-run ()
  "Run this scenario on the simulator (the server's mmscn/run request).
Failed expectations then show as diagnostics; hovering a pfn shows that page's state after the run."
  (interactive)
  (let ((r (jsonrpc-request (eglot--current-server-or-lose) :mmscn/run
                            (list :textDocument (list :uri (eglot--path-to-uri buffer-file-name))))))
    (message "mmscn: %s" (plist-get r :message))
    r))
;; ---- end of configuration ----

(defvar mmscn-result (list (cons 'errors nil)))

(defun mmscn-wait (pred seconds)
  "Process events until PRED is true or SECONDS pass."
  (let ((end (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) end))
      (accept-process-output nil 0.05))
    (funcall pred)))

(condition-case err
    (progn
      (find-file (getenv "MMSCN_FILE"))
      (unless (eq major-mode 'mmscn-mode) (error "major mode is %s" major-mode))
      ;; eglot-ensure starts the server from post-command-hook; in batch there is no command loop: start it here
      (unless (eglot-current-server) (apply #'eglot (eglot--guess-contact)))
      (unless (mmscn-wait (lambda () (and (eglot-current-server) eglot--managed-mode)) 15)
        (error "eglot did not connect"))
      (flymake-start)
      (mmscn-wait (lambda () (flymake-diagnostics)) 15)
      (push (cons 'diagnostics
                  (vconcat (mapcar (lambda (d)
                                     (list (cons 'line (1- (line-number-at-pos (flymake-diagnostic-beg d))))
                                           (cons 'message (flymake-diagnostic-text d))
                                           (cons 'type (symbol-name (flymake-diagnostic-type d)))))
                                   (flymake-diagnostics))))
            mmscn-result)
      (goto-char (point-min))
      (forward-line (string-to-number (getenv "MMSCN_HOVER_LINE")))
      (forward-char (string-to-number (getenv "MMSCN_HOVER_COL")))
      (let* ((h (jsonrpc-request (eglot-current-server) :textDocument/hover (eglot--TextDocumentPositionParams)))
             (contents (plist-get h :contents)))
        (push (cons 'hover (if (stringp contents) contents (plist-get contents :value))) mmscn-result))
      (push (cons 'run (plist-get (mmscn-run) :message)) mmscn-result)
      (eglot-shutdown (eglot-current-server)))
  (error (push (format "%S" err) (alist-get 'errors mmscn-result))))

(with-temp-file (getenv "MMSCN_OUT")
  (insert (json-encode mmscn-result)))
(kill-emacs 0)
