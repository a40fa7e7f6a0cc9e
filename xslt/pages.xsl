<?xml version="1.0" encoding="UTF-8"?>
<!-- Whole-corpus pages from the site index: home with the table of documents, about, search. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:teiedition:function"
  xmlns:p="urn:teiedition:private"
  xmlns:s="urn:teiedition:site"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all" expand-text="yes">

  <!-- Entry point for whole-corpus pages; $page names which. -->
  <xsl:template name="site-page">
    <xsl:choose>
      <xsl:when test="$page = 'index'"><xsl:call-template name="p:home"/></xsl:when>
      <xsl:when test="$page = 'persons'"><xsl:call-template name="f:register-page"><xsl:with-param name="kind" select="'person'"/></xsl:call-template></xsl:when>
      <xsl:when test="$page = 'places'"><xsl:call-template name="f:register-page"><xsl:with-param name="kind" select="'place'"/></xsl:call-template></xsl:when>
      <xsl:when test="$page = 'organisations'"><xsl:call-template name="f:register-page"><xsl:with-param name="kind" select="'org'"/></xsl:call-template></xsl:when>
      <xsl:when test="$page = 'chronology'"><xsl:call-template name="f:chronology-page"/></xsl:when>
      <xsl:when test="$page = 'about'"><xsl:call-template name="p:about"/></xsl:when>
      <xsl:when test="$page = 'search'"><xsl:call-template name="p:search"/></xsl:when>
      <xsl:otherwise><xsl:message terminate="yes">unknown site page '{$page}'</xsl:message></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="p:home">
    <xsl:variable name="header" select="$f:edition/TEI/teiHeader"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="'Documents'"/>
      <xsl:with-param name="current" select="'index'"/>
      <xsl:with-param name="file" select="'index.html'"/>
      <xsl:with-param name="main-class" select="'home'"/>
      <xsl:with-param name="body">
        <header class="edition-header">
          <h1>{f:edition-title()}</h1>
          <xsl:for-each select="$header/fileDesc/titleStmt/title[@type = 'sub']">
            <p class="subtitle">{normalize-space(.)}</p>
          </xsl:for-each>
          <xsl:if test="$header/fileDesc/titleStmt/editor">
            <p class="editors">Edited by {string-join($header/fileDesc/titleStmt/editor ! normalize-space(.), ', ')}</p>
          </xsl:if>
        </header>
        <xsl:apply-templates select="$f:edition/TEI/text/front/div[@type = 'introduction']"/>
        <section class="document-list" aria-labelledby="documents-heading">
          <h2 id="documents-heading">The documents</h2>
          <div class="table-wrap">
            <table class="documents sortable">
              <caption class="visually-hidden">All documents, in date order; column headings sort the table.</caption>
              <thead>
                <tr>
                  <th scope="col" data-sort="number">No.</th>
                  <th scope="col" data-sort="text" aria-sort="ascending">Date</th>
                  <th scope="col" data-sort="text">Type</th>
                  <th scope="col" data-sort="text">Sender</th>
                  <th scope="col" data-sort="text">Recipient</th>
                  <th scope="col" data-sort="text">Title</th>
                </tr>
              </thead>
              <tbody>
                <xsl:for-each select="$site/s:site/s:document">
                  <tr>
                    <td data-value="{@position}">{@n}</td>
                    <td data-value="{@sort}"><xsl:sequence select="f:date-label(s:date)"/></td>
                    <td>{f:type-label(@type)}</td>
                    <td>{string-join(s:sender ! p:index-name(.), '; ')}</td>
                    <td>{string-join(s:recipient ! p:index-name(.), '; ')}</td>
                    <td><a href="{f:document-href(.)}">{@title}</a></td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </div>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:function name="p:index-name" as="xs:string">
    <xsl:param name="correspondent" as="element()"/>
    <xsl:sequence select="string(((tokenize($correspondent/@ref)[1] ! f:entry(.))/@name, normalize-space($correspondent))[1])"/>
  </xsl:function>

  <xsl:template name="p:about">
    <xsl:variable name="header" select="$f:edition/TEI/teiHeader"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="'About this edition'"/>
      <xsl:with-param name="current" select="'about'"/>
      <xsl:with-param name="file" select="'about.html'"/>
      <xsl:with-param name="body">
        <h1>About this edition</h1>
        <xsl:apply-templates select="$f:edition/TEI/text/front/div[@type = 'principles']"/>
        <xsl:if test="$header/encodingDesc/editorialDecl/*">
          <section class="div editorial-declaration">
            <h2>Encoding</h2>
            <xsl:for-each select="$header/encodingDesc/editorialDecl/*">
              <h3 class="decl">{upper-case(substring(local-name(), 1, 1)) || substring(local-name(), 2)}</h3>
              <xsl:apply-templates select="if (p) then p else node()"/>
            </xsl:for-each>
          </section>
        </xsl:if>
        <section class="div source">
          <h2>Source</h2>
          <xsl:for-each select="$header/fileDesc/sourceDesc/(bibl | biblStruct | p)">
            <p class="source-description"><xsl:apply-templates select="."/></p>
          </xsl:for-each>
          <xsl:apply-templates select="$f:edition/TEI/text/front/titlePage"/>
        </section>
        <xsl:apply-templates select="$f:edition/TEI/text/front/div[not(@type = ('introduction', 'principles', 'contents'))]"/>
        <section class="div publication">
          <h2>Publication</h2>
          <dl class="metadata">
            <xsl:for-each select="$header/fileDesc/titleStmt/(editor | respStmt)">
              <div><dt>{if (self::editor) then 'Editor' else normalize-space(resp)}</dt>
                <dd>{normalize-space(if (self::respStmt) then string-join((persName, name, orgName), ', ') else .)}</dd></div>
            </xsl:for-each>
            <xsl:for-each select="$header/fileDesc/editionStmt/edition">
              <div><dt>Version</dt><dd>{(@n, normalize-space(.))[1]}</dd></div>
            </xsl:for-each>
            <xsl:for-each select="$header/fileDesc/publicationStmt/publisher">
              <div><dt>Publisher</dt><dd>{normalize-space(.)}</dd></div>
            </xsl:for-each>
            <xsl:for-each select="$header/fileDesc/publicationStmt/date">
              <div><dt>Published</dt><dd>{f:date-label(.)}</dd></div>
            </xsl:for-each>
            <xsl:for-each select="$header/fileDesc/publicationStmt/availability/licence">
              <div><dt>Licence</dt><dd><xsl:apply-templates select="."/></dd></div>
            </xsl:for-each>
            <xsl:if test="$f:base"><div><dt>Stable address</dt><dd><a href="{f:safe-href($f:base)}">{$f:base}</a></dd></div></xsl:if>
          </dl>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="licence">
    <xsl:variable name="href" select="f:safe-href(@target)"/>
    <xsl:choose>
      <xsl:when test="$href"><a rel="license" href="{$href}"><xsl:apply-templates/></a></xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="p:search">
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="'Search'"/>
      <xsl:with-param name="current" select="'search'"/>
      <xsl:with-param name="file" select="'search.html'"/>
      <xsl:with-param name="head">
        <link rel="stylesheet" href="pagefind/pagefind-ui.css"/>
        <script src="pagefind/pagefind-ui.js" defer="defer"/>
        <script src="assets/search.js" defer="defer"/>
      </xsl:with-param>
      <xsl:with-param name="body">
        <h1>Search</h1>
        <p class="search-help">Search the text of every document. Narrow the results by person, place,
          organisation, year or document type.</p>
        <div id="search" class="search" data-search-ui=""/>
        <noscript><p>Search needs JavaScript. Every document is listed on the <a href="index.html">home page</a>.</p></noscript>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
