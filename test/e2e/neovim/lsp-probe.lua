-- Headless neovim (0.7+) as a real LSP client: open one file, attach our server, collect what it sends.
-- Env: LSP_CMD (JSON array, e.g. ["node","/abs/dist/server.js","--stdio"]), LSP_FILE (abs path),
--      LSP_LANGUAGE_ID (didOpen languageId, e.g. nova-conf / xml), LSP_OUT (JSON result file, default stdout),
--      LSP_COMPLETION_POS / LSP_HOVER_POS ("line:char", 0-based), LSP_TIMEOUT_MS (default 15000).
-- Run: nvim --headless --clean -u NONE -c 'luafile lsp-probe.lua'   (exit 0 = probe finished, 1 = error)
-- 0.7 has no vim.lsp.start, hence start_client + buf_attach_client (still fine up to 0.10).
local cmd = vim.fn.json_decode(os.getenv('LSP_CMD'))
local file = os.getenv('LSP_FILE')
local language_id = os.getenv('LSP_LANGUAGE_ID')
local outpath = os.getenv('LSP_OUT') or '/dev/stdout'
local timeout = tonumber(os.getenv('LSP_TIMEOUT_MS') or '15000')
local v = vim.version()
local out = { nvim = v.major .. '.' .. v.minor .. '.' .. v.patch }

local function pos_of(envname, default)
  local s = os.getenv(envname) or default
  local l, c = s:match('^(%d+):(%d+)$')
  return { line = tonumber(l), character = tonumber(c) }
end

local function finish(code)
  local f = io.open(outpath, 'w'); f:write(vim.fn.json_encode(out) .. '\n'); f:close()
  vim.cmd((code == 0) and 'qa!' or 'cq!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  local start = vim.loop.hrtime()
  local publishes = 0
  local exited = nil
  local client_id = vim.lsp.start_client({
    on_exit = function(code, signal) exited = 'code ' .. tostring(code) .. ' signal ' .. tostring(signal) end,
    name = 'nova-libvirt-cpu', cmd = cmd, root_dir = vim.fn.fnamemodify(file, ':p:h'),
    -- without -u/filetype detection the filetype is empty; our server picks the analyzer by languageId
    get_language_id = function(_, ft) return language_id or ft end,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(e, result, ctx, config)
        if result and result.uri == uri then out.diagnostics = result.diagnostics; publishes = publishes + 1 end
        return vim.lsp.handlers['textDocument/publishDiagnostics'](e, result, ctx, config)
      end,
    },
  })
  assert(client_id, 'start_client failed')
  vim.lsp.buf_attach_client(bufnr, client_id)
  -- stop early if the server dies (its stderr is in nvim's lsp.log)
  vim.wait(timeout, function() return out.diagnostics ~= nil or exited ~= nil end, 20)
  assert(out.diagnostics ~= nil, exited and ('server exited (' .. exited .. ') before publishing diagnostics')
    or ('no diagnostics within ' .. timeout .. ' ms'))
  out.ms_to_diagnostics = math.floor((vim.loop.hrtime() - start) / 1e6)
  local client = vim.lsp.get_client_by_id(client_id)
  out.server_info = client.server_info  -- initialize result's serverInfo (name, version), if sent

  local function request(method, pos)
    local params = { textDocument = { uri = uri }, position = pos }
    local res, e = vim.lsp.buf_request_sync(bufnr, method, params, 5000)
    if not res then out[method .. ':error'] = tostring(e) end
    return res or {}
  end
  local labels = {}
  for _, r in pairs(request('textDocument/completion', pos_of('LSP_COMPLETION_POS', '1:11'))) do
    for _, it in ipairs(r.result and (r.result.items or r.result) or {}) do table.insert(labels, it.label) end
  end
  out.completion = labels
  for _, r in pairs(request('textDocument/hover', pos_of('LSP_HOVER_POS', '1:2'))) do
    if r.result and r.result.contents then
      local c = r.result.contents
      out.hover = type(c) == 'string' and c or c.value or vim.fn.json_encode(c)
    end
  end

  -- exercise didChange: append a comment line and wait for the next publish
  out.diagnostics_before_edit = out.diagnostics
  local before = publishes
  local comment = (language_id == 'xml') and '<!-- edited by lsp-probe -->' or '# edited by lsp-probe'
  vim.api.nvim_buf_set_lines(bufnr, -1, -1, false, { comment })
  assert(vim.wait(timeout, function() return publishes > before end, 20), 'no diagnostics after edit')
  out.diagnostics_after_edit = out.diagnostics
  out.diagnostics = nil
  vim.lsp.stop_client(client_id)
end)
if not ok then out.error = tostring(err); finish(1) else finish(0) end
